import { describe, expect, it } from 'vitest';
import { allRules } from '../shared/rules/registry.ts';
import { SEVERITIES } from '../shared/findings/finding.ts';
import '../shared/scan/engine.ts';
import '../shared/secrets/scan.ts';

const range = (prefix: string, from: number, to: number, width: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(width, '0')}`);

describe('rule registry', () => {
  const ids = allRules().map((r) => r.id);

  it('has every catalog rule: K8S-001…066, DOCKER-001…018, SECRET-01…18', () => {
    expect(ids).toEqual(expect.arrayContaining([...range('K8S', 1, 66, 3), ...range('DOCKER', 1, 18, 3), ...range('SECRET', 1, 18, 2)]));
  });

  it('gives every rule a title, description, remediation, a valid severity and compliance refs', () => {
    for (const r of allRules()) {
      expect(r.title, r.id).not.toBe('');
      expect(r.description, r.id).not.toBe('');
      expect(r.remediation, r.id).not.toBe('');
      expect(SEVERITIES, r.id).toContain(r.severity);
      expect(Array.isArray(r.compliance), r.id).toBe(true);
    }
  });
});
