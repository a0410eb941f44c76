import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const GOOGLE_API_KEY = /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g;

export default secretPattern({
  id: 'SECRET-10',
  severity: 'medium',
  title: 'Google API key',
  description: 'A Google API key (AIza followed by 35 characters) appears in a file. Browser keys for Maps or Firebase are often public on purpose, hence medium: let policy decide.',
  remediation: 'If the key is not meant to be public, delete or regenerate it in Google Cloud (APIs & Services > Credentials); in any case restrict it to the APIs and referrers or apps that need it.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('AIza')) return;
    for (const match of text.matchAll(GOOGLE_API_KEY)) {
      yield { index: match.index, secret: match[0], message: 'Google API key (AIza); restrict or remove it unless it is a deliberately public browser key' };
    }
  },
});
