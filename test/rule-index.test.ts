import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_DIRS, ruleIndexSource } from '../scripts/gen-rule-index.ts';

describe('rule folders', () => {
  for (const dir of RULE_DIRS) {
    it(`${dir}/all.ts imports every rule file (run \`npm run gen:rules\`)`, () => {
      const root = join(import.meta.dirname, '..');
      expect(readFileSync(join(root, dir, 'all.ts'), 'utf8')).toBe(ruleIndexSource(join(root, dir)));
    });
  }
});
