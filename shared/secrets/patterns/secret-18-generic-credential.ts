import { SECRET_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const CREDENTIAL_ASSIGNMENT =
  /\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\b["']?\s*[:=]\s*["']([^"'\s]{12,})["']/dgi;

export default secretPattern({
  id: 'SECRET-18',
  severity: 'medium',
  title: 'Hard-coded credential',
  description: 'A name that suggests a secret (password, secret, api_key, access_token, client_secret, ...) is assigned a quoted value of at least 12 characters that is neither low-entropy nor a placeholder.',
  remediation: 'Move the value to a secret store or an environment variable injected at run time, and rotate it if it was ever real.',
  compliance: [...SECRET_COMPLIANCE],
  // Noisy: it stays silent where a specific pattern already reported.
  generic: true,
  *find(text) {
    for (const match of text.matchAll(CREDENTIAL_ASSIGNMENT)) {
      yield { ...captured(match, 2), message: `Hard-coded credential assigned to "${match[1]}"` };
    }
  },
});
