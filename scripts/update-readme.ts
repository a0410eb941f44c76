// Rewrites the rule list in README.md from the registry (`npm run docs`); test/readme.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulesSection } from '../shared/docs/readme.ts';

const path = join(import.meta.dirname, '..', 'README.md');
const readme = readFileSync(path, 'utf8');
const updated = rulesSection(readme);
if (updated !== readme) writeFileSync(path, updated);
