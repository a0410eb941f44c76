import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesSection } from '../shared/docs/readme.ts';
import { shipwatch } from './helpers/cli.ts';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('lists exactly the rules in the registry (run `npm run docs` after adding a rule)', () => {
    expect(readme).toBe(rulesSection(readme));
  });

  it('shows the same rule list as `shipwatch rules --format markdown`', () => {
    const cli = shipwatch(['rules', '--format', 'markdown']).stdout;
    expect(readme).toContain(cli.trim());
  });

  it('documents the test command that .ci/run runs', () => {
    const ci = readFileSync(join(import.meta.dirname, '..', '.ci', 'run'), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });
});
