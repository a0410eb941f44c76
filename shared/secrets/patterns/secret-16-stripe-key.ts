import { SECRET_COMPLIANCE, mentionsAny } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// Secret (sk_) and restricted (rk_) keys; publishable keys (pk_) are meant to be public and are not matched.
const STRIPE_KEY = /(?<![A-Za-z0-9])([rs]k)_(live|test|prod)_([A-Za-z0-9]{24,})/g;

export default secretPattern({
  id: 'SECRET-16',
  severity: 'critical',
  title: 'Stripe secret key',
  description: 'A Stripe secret or restricted API key (sk_/rk_ + live, test or prod + at least 24 characters) appears in a file; test-mode keys are low.',
  remediation: 'Roll the key in the Stripe dashboard (Developers > API keys) and load it at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    // Every match holds one of these; `sk_` alone is common in code (`task_`, `disk_`).
    if (!mentionsAny(text, ['k_live_', 'k_test_', 'k_prod_'])) return;
    for (const match of text.matchAll(STRIPE_KEY)) {
      const [secret, type, mode, random] = match;
      yield {
        index: match.index,
        secret,
        // `test` in the mode is not a placeholder: judge only the random part.
        value: random,
        // Test-mode keys reach no real money or customer data.
        severity: mode === 'test' ? 'low' : 'critical',
        message: `Stripe ${type === 'sk' ? 'secret' : 'restricted'} key (${type}_${mode}_)`,
      };
    }
  },
});
