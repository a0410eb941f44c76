// Commands and request URIs end up in findings, Slack and SNS. People type credentials into
// `kubectl exec ... -- curl -H "Authorization: Bearer ..."`, so values that look like secrets are
// masked before they leave the detector.
import { shannonEntropy } from '../secrets/filters.ts';
import { maskSecret } from '../secrets/mask.ts';

/** `token=…`, `password: …`, `--password …`: the value after a credential-ish name (a bare word followed by a space is prose, not a flag). */
const CREDENTIAL_NAME = '(?:access[_-]?token|token|password|passwd|pwd|secret|api[_-]?key|access[_-]?key|client[_-]?secret)';
const NAMED_VALUE = new RegExp(`((?:^|[\\s&?;"'])(?:--?${CREDENTIAL_NAME}(?:\\s+|=)|${CREDENTIAL_NAME}\\s*[=:]\\s*))("[^"]*"|'[^']*'|[^\\s&;"']+)`, 'gi');
const AUTH_HEADER = /(\b(?:Bearer|Basic)\s+)([A-Za-z0-9+/=._~-]{8,})/g;
/** Long runs of token characters; masked when their entropy says they are random. */
const LONG_TOKEN = /[A-Za-z0-9+/=_.-]{24,}/g;

export function maskSecrets(text: string): string {
  if (text === '') return text;
  return text
    .replace(NAMED_VALUE, (_, name: string, value: string) => name + maskQuoted(value))
    .replace(AUTH_HEADER, (_, scheme: string, value: string) => scheme + maskSecret(value))
    .replace(LONG_TOKEN, (token) => (looksRandom(token) ? maskSecret(token) : token));
}

/** Paths (slashes without base64 padding or plus signs) and already-masked values are left alone. */
function looksRandom(token: string): boolean {
  if (token.includes('*')) return false;
  if (token.includes('/') && !/[+=]/.test(token)) return false;
  return shannonEntropy(token) >= 4;
}

function maskQuoted(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) return q + maskSecret(value.slice(1, -1)) + q;
  return maskSecret(value);
}
