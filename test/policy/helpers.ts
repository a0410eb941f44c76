import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { scanSources } from '../../shared/scan/engine.ts';
import type { PolicySet } from '../../shared/policy/policy.ts';

/** A folder of test/fixtures/policies. */
export const fixtureDir = (name: string) => fileURLToPath(new URL(`../fixtures/policies/${name}`, import.meta.url));

const createdDirs: string[] = [];
afterAll(() => {
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes policy files (name → YAML) into a fresh temporary folder, removed after the test file, and returns its path. */
export function policyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-policies-'));
  createdDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Scans one manifest file with the engine and the given policies; returns the findings of one policy id and the scan errors. */
export function scanWith(policies: PolicySet, text: string, path = 'app.yaml') {
  const result = scanSources([{ path, text }], { policies });
  return { ...result, of: (id: string) => result.findings.filter((f) => f.ruleId === id) };
}

/** A VAP on apps/v1 deployments with the given spec lines after matchConstraints (YAML indented for spec:). */
export function deploymentPolicy(name: string, specYaml: string): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ${name}
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["deployments"]
${specYaml}`;
}
