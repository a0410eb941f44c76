import { actorLabel, CHANGE_VERBS, registerDetection } from '../detection.ts';

/** Credential markers of the catalog, searched in keys and values (case-insensitive). */
const CREDENTIAL_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'AWS access key id', pattern: /aws[_-](?:s3[_-])?access[_-]key[_-]id/i },
  { name: 'AWS secret access key', pattern: /aws[_-]secret[_-]access[_-]key/i },
  { name: 'password', pattern: /password/i },
  { name: 'passphrase', pattern: /passphrase/i },
  { name: 'PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
];
/** Values are searched up to this length (a ConfigMap holds at most 1 MiB). */
const MAX_VALUE_CHARS = 1024 * 1024;

function stringEntries(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
}

export default registerDetection({
  id: 'AUDIT-033',
  severity: 'low',
  tier: 3,
  // Hygiene check that needs no list: on unless disabled (catalog: configurable, not off until configured).
  enabledByDefault: true,
  level: 'R',
  levelNote: 'not on EKS (configmaps are logged at Metadata)',
  title: 'ConfigMap carrying credential-like data',
  description:
    'A ConfigMap is written whose data or binaryData keys or values look like credentials (AWS access keys, passwords, passphrases, PEM private keys). ConfigMaps are readable far more widely than Secrets. Needs Request-level audit of configmaps.',
  remediation: 'Move the credential into a Secret (or an external secret store), rotate it, and remove it from the ConfigMap.',
  mitre: ['T1552'],
  resources: ['configmaps'],
  evaluate(event, ctx) {
    if (!CHANGE_VERBS.has(event.verb) || event.subresource !== '' || !event.notFailed) return null;
    const body = event.writtenObject;
    if (body === null) {
      ctx.metric('request_unavailable');
      return null;
    }
    const hits: { key: string; field: 'data' | 'binaryData'; markers: string[] }[] = [];
    const inspect = (field: 'data' | 'binaryData', key: string, value: string) => {
      const text = value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value;
      const markers = CREDENTIAL_PATTERNS.filter((p) => p.pattern.test(key) || p.pattern.test(text)).map((p) => p.name);
      if (markers.length > 0) hits.push({ key, field, markers });
    };
    for (const [key, value] of stringEntries(body.data)) inspect('data', key, value);
    for (const [key, value] of stringEntries(body.binaryData)) inspect('binaryData', key, Buffer.from(value, 'base64').toString('latin1'));
    if (hits.length === 0) return null;
    const name = event.name || String((body.metadata as { name?: unknown } | undefined)?.name ?? '');
    return {
      key: [event.namespace, name],
      message: `${actorLabel(event)} wrote ConfigMap ${event.namespace || '(cluster)'}/${name || '(unnamed)'} with credential-like data in ${hits.map((h) => `${h.field}.${h.key}`).join(', ')}`,
      // Keys and kinds of credential only: the values never leave the detector.
      evidence: { entries: hits },
    };
  },
});
