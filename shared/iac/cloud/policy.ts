// Reading IAM resource policies (ECR repository policies) for statements that let anyone in.
import { isUnknown, UNKNOWN, type Maybe } from './model.ts';

/** Condition keys that narrow who may call (an organisation, account, principal, network or source). */
const RESTRICTING_KEYS = new Set(
  [
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalServiceName',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:VpcSourceIp',
    'aws:userid',
    'aws:username',
  ].map((k) => k.toLowerCase()),
);

export interface PublicStatement {
  /** Position in `Statement` (0 when the document has a single statement object). */
  index: number;
  sid: string | null;
  principal: string;
}

/** A policy given as JSON text or as a value; text that is not JSON is an error the caller reports. */
export function decodePolicy(value: unknown): { ok: true; document: unknown } | { ok: false; error: string } {
  if (typeof value !== 'string') return { ok: true, document: value };
  try {
    return { ok: true, document: JSON.parse(value) as unknown };
  } catch (e) {
    return { ok: false, error: `the policy is not valid JSON (${(e as Error).message})` };
  }
}

/**
 * Statements with Effect Allow and Principal "*" (or AWS "*") and no condition that restricts the
 * caller. Parts that cannot be resolved make their statement undecided: it is never reported.
 * UNKNOWN when the statement list itself cannot be read.
 */
export function publicStatements(document: unknown): Maybe<PublicStatement[]> {
  if (isUnknown(document) || document === null || typeof document !== 'object' || Array.isArray(document)) return isUnknown(document) ? UNKNOWN : [];
  const statements = (document as Record<string, unknown>).Statement;
  if (isUnknown(statements)) return UNKNOWN;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const found: PublicStatement[] = [];
  list.forEach((statement, index) => {
    if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) return;
    const s = statement as Record<string, unknown>;
    if (s.Effect !== 'Allow') return;
    const principal = publicPrincipal(s.Principal);
    if (principal === null || isUnknown(principal)) return;
    if (restricts(s.Condition) !== false) return;
    found.push({ index, sid: typeof s.Sid === 'string' ? s.Sid : null, principal });
  });
  return found;
}

/** `"*"` or `{"AWS": "*"}` (also inside a list): how the policy names everyone; null for anything narrower. */
function publicPrincipal(principal: unknown): Maybe<string | null> {
  if (isUnknown(principal)) return UNKNOWN;
  if (principal === '*') return 'Principal "*"';
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return null;
  const aws = (principal as Record<string, unknown>).AWS;
  if (isUnknown(aws)) return UNKNOWN;
  const values = Array.isArray(aws) ? aws : [aws];
  if (values.includes('*')) return 'Principal {"AWS": "*"}';
  return values.some(isUnknown) ? UNKNOWN : null;
}

/**
 * Whether a Condition block narrows the callers: a positive operator (not `...Not...`, not
 * `...IfExists`, which passes when the key is absent, as it is for anonymous callers) over one of
 * the identity, organisation or network keys. UNKNOWN when the block cannot be read.
 */
function restricts(condition: unknown): Maybe<boolean> {
  if (condition === undefined || condition === null) return false;
  if (isUnknown(condition)) return UNKNOWN;
  if (typeof condition !== 'object' || Array.isArray(condition)) return false;
  let undecided = false;
  for (const [operator, block] of Object.entries(condition)) {
    const op = operator.replace(/^(?:ForAnyValue|ForAllValues):/i, '');
    if (/Not|IfExists$|^Null$|^Bool$/i.test(op)) continue;
    if (isUnknown(block)) {
      undecided = true;
      continue;
    }
    if (block === null || typeof block !== 'object') continue;
    if (Object.keys(block).some((key) => RESTRICTING_KEYS.has(key.toLowerCase()))) return true;
  }
  return undecided ? UNKNOWN : false;
}
