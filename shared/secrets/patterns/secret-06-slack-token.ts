import { SECRET_COMPLIANCE, mentionsAny } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const TOKEN_FORMS: { regex: RegExp; kind(token: string): string }[] = [
  // xox + type letter + dash-separated numeric ids + secret tail.
  { regex: /(?<![A-Za-z0-9])xox[abopsr]-(?:\d{1,16}-){2,4}[0-9A-Za-z]{8,}/g, kind: (t) => tokenKind(t[3]) },
  { regex: /(?<![A-Za-z0-9])xox[bp]-\d{8,}-[0-9A-Za-z]{20,}/g, kind: (t) => tokenKind(t[3]) },
  // Configuration tokens (xoxe.xoxp-1-...) and their refresh tokens (xoxe-1-...).
  { regex: /(?<![A-Za-z0-9])xoxe(?:\.xox[bp])?-1-[A-Za-z0-9]{40,}/g, kind: (t) => (t.startsWith('xoxe.') ? 'configuration token' : 'configuration refresh token') },
  { regex: /(?<![A-Za-z0-9])xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{32,}/g, kind: () => 'app-level token' },
];

function tokenKind(typeLetter: string): string {
  if (typeLetter === 'b') return 'bot token';
  if (typeLetter === 'p') return 'user token';
  return 'legacy or app token';
}

export default secretPattern({
  id: 'SECRET-06',
  severity: 'high',
  title: 'Slack token',
  description: 'A Slack API token (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xoxe configuration tokens or xapp- app-level tokens) appears in a file.',
  remediation: 'Revoke the token (Slack app settings, or auth.revoke) and load it at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!mentionsAny(text, ['xox', 'xapp-'])) return;
    for (const { regex, kind } of TOKEN_FORMS) {
      for (const match of text.matchAll(regex)) {
        yield { index: match.index, secret: match[0], message: `Slack ${kind(match[0])} (${match[0].slice(0, 4)})` };
      }
    }
  },
});
