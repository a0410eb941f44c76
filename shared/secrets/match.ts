// Small helpers the pattern files share, so each pattern reads like its catalog row.

/** Secrets in files: CIS Docker 4.10, NIST 800-190 embedded clear-text secrets, PCI hard-coded credentials, MITRE credentials in files. */
export const SECRET_COMPLIANCE: readonly string[] = ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'];

/** Also valid cloud-account credentials (MITRE Valid Accounts: Cloud Accounts). */
export const CLOUD_CREDENTIAL_COMPLIANCE: readonly string[] = [...SECRET_COMPLIANCE, 'MITRE T1078.004'];

/** Also private keys (MITRE Unsecured Credentials: Private Keys). */
export const PRIVATE_KEY_COMPLIANCE: readonly string[] = [...SECRET_COMPLIANCE, 'MITRE T1552.004'];

/** Cheap pre-check: a pattern cannot match a text that holds none of its literal parts. */
export function mentionsAny(text: string, literals: readonly string[]): boolean {
  return literals.some((literal) => text.includes(literal));
}

/** Where capture group `group` of a match starts and what it holds; the regex needs the `d` flag. */
export function captured(match: RegExpMatchArray, group: number): { index: number; secret: string } {
  const span = match.indices?.[group];
  return { index: span ? span[0] : (match.index ?? 0), secret: match[group] ?? '' };
}
