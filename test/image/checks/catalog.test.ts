import { describe, expect, it } from 'vitest';
import { allRules } from '../../../shared/rules/registry.ts';
import '../../../shared/image/checks/rules/all.ts';

/** image.md: every IMG-0xx check with its default severity. */
const CATALOG: Record<string, string> = {
  'IMG-001': 'high', 'IMG-002': 'medium', 'IMG-003': 'high', 'IMG-004': 'info', 'IMG-005': 'high', 'IMG-006': 'low', 'IMG-007': 'high', 'IMG-008': 'medium', 'IMG-009': 'critical', 'IMG-010': 'medium', 'IMG-011': 'low',
  'IMG-020': 'low', 'IMG-021': 'high', 'IMG-022': 'medium', 'IMG-023': 'medium', 'IMG-024': 'low', 'IMG-025': 'low', 'IMG-026': 'low', 'IMG-027': 'info', 'IMG-028': 'low', 'IMG-029': 'medium', 'IMG-030': 'high', 'IMG-031': 'info', 'IMG-032': 'info',
  'IMG-040': 'high', 'IMG-041': 'critical', 'IMG-042': 'critical', 'IMG-043': 'high', 'IMG-044': 'high', 'IMG-045': 'critical', 'IMG-046': 'low',
  'IMG-060': 'low', 'IMG-061': 'high', 'IMG-062': 'low', 'IMG-063': 'info', 'IMG-064': 'low', 'IMG-065': 'info', 'IMG-066': 'info', 'IMG-067': 'info',
};

describe('image check catalog', () => {
  const images = allRules().filter((r) => r.engine === 'image');

  it('registers the 43 IMG checks (IMG-001…011, 020…032, 040…046, 060…067, 080…083)', () => {
    const vulnerability = ['IMG-080', 'IMG-081', 'IMG-082', 'IMG-083'];
    expect(images.map((r) => r.id)).toEqual([...Object.keys(CATALOG), ...vulnerability]);
  });

  it('uses the catalog default severities; IMG-063 is opt-in', () => {
    for (const rule of images) if (CATALOG[rule.id]) expect(rule.severity, rule.id).toBe(CATALOG[rule.id]);
    expect(images.filter((r) => r.offByDefault).map((r) => r.id)).toEqual(['IMG-063']);
  });
});
