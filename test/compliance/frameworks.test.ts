import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, frameworkById, normalizeRef, rulePatternMatches, type ComplianceFramework } from '../../shared/compliance/framework.ts';
import { mappedRules } from '../../shared/compliance/report.ts';
import { allRules, ruleById } from '../../shared/rules/registry.ts';

function control(framework: string, id: string) {
  const fw = frameworkById(framework)!;
  const c = fw.controls.find((x) => x.id === id);
  if (!c) throw new Error(`${framework} has no control ${id}`);
  return { fw, c };
}

/** Every rule id the catalogs define (rules/iac.md, image.md, audit.md) and EKS-007, registered in this process or not. */
const range = (prefix: string, from: number, to: number, width = 3) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(width, '0')}`);
const CATALOG = [
  ...range('K8S', 1, 66),
  ...range('DOCKER', 1, 18),
  ...range('SECRET', 1, 18, 2),
  ...range('IMG', 1, 11),
  ...range('IMG', 20, 32),
  ...range('IMG', 40, 46),
  ...range('IMG', 60, 67),
  ...range('IMG', 80, 83),
  ...range('AUDIT', 1, 43),
  ...range('EKS', 1, 7), // EKS-007 (not connected to the audit sink) is Shipwatch's own, live only
  ...range('ECR', 1, 4),
];

describe('compliance frameworks (data)', () => {
  it('are the seven report frameworks, each with a name, versions, prefix and unique controls', () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual(['cis-k8s', 'cis-eks', 'nsa-cisa', 'nist-800-190', 'pci-dss', 'hipaa', 'gdpr']);
    expect(FRAMEWORKS.map((f) => f.refPrefix)).toEqual(['CIS-K8S ', 'CIS-EKS ', 'NSA-CISA ', 'NIST-800-190 ', 'PCI-DSS ', 'HIPAA ', 'GDPR Art. ']);
    for (const fw of FRAMEWORKS) {
      expect(fw.name).not.toBe('');
      expect(fw.version).not.toBe('');
      expect(fw.mappingVersion, fw.id).toMatch(/^\d{4}\.\d{1,2}$/);
      const ids = fw.controls.map((c) => c.id);
      expect(new Set(ids).size, fw.id).toBe(ids.length);
      for (const c of fw.controls) {
        expect(c.title.length, `${fw.id} ${c.id}`).toBeGreaterThan(5);
        expect(['automated', 'partial', 'manual']).toContain(c.automation);
      }
    }
    expect(frameworkById('iso-27001')).toBeUndefined();
  });

  it('number controls the way the frameworks do', () => {
    const ids = (id: string) => frameworkById(id)!.controls.map((c) => c.id);
    for (const id of ids('cis-k8s')) expect(id).toMatch(/^5\.[1-7]\.\d{1,2}$/);
    for (const id of ids('cis-eks')) expect(id).toMatch(/^[2-5]\.\d\.\d{1,2}$/);
    for (const id of ids('nist-800-190')) expect(id).toMatch(/^4\.[1-5]\.[1-5]$/);
    for (const id of ids('pci-dss')) expect(id).toMatch(/^\d{1,2}(\.\d{1,2}){2,3}$/);
    const cis = ids('cis-k8s');
    const referenced = [
      ...Array.from({ length: 13 }, (_, i) => `5.1.${i + 1}`),
      ...Array.from({ length: 13 }, (_, i) => `5.2.${i + 1}`),
      '5.3.2', '5.4.1', '5.4.2', '5.5.1', '5.7.1', '5.7.2', '5.7.3', '5.7.4',
    ];
    expect(cis).toEqual(expect.arrayContaining(referenced));
    // The items the EKS/ECR catalog cites.
    expect(ids('cis-eks')).toEqual(expect.arrayContaining(['2.1.1', '5.1.1', '5.3.1', '5.4.1', '5.4.2']));
    expect(ids('nsa-cisa')).toEqual(expect.arrayContaining(['Pod security: hardening container environments', 'Pod security enforcement', 'Authentication and authorization']));
    // 45 CFR 164.312 (a)-(e) with every implementation specification.
    expect(ids('hipaa')).toEqual([
      '164.312(a)(1)', '164.312(a)(2)(i)', '164.312(a)(2)(ii)', '164.312(a)(2)(iii)', '164.312(a)(2)(iv)',
      '164.312(b)', '164.312(c)(1)', '164.312(c)(2)', '164.312(d)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)',
    ]);
    expect(ids('gdpr')).toEqual(['32(1)(a)', '32(1)(b)', '32(1)(c)', '32(1)(d)', '32(2)']);
  });

  it('name only catalog rules in explicit lists, and every pattern matches some', () => {
    const wrong: string[] = [];
    for (const fw of FRAMEWORKS) {
      for (const c of fw.controls) {
        for (const p of c.rules ?? []) if (!CATALOG.some((id) => rulePatternMatches(p, id))) wrong.push(`${fw.id} ${c.id}: ${p}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('crosswalk only to controls that exist in the other frameworks', () => {
    const wrong: string[] = [];
    for (const fw of FRAMEWORKS) {
      for (const c of fw.controls) {
        for (const ref of c.refs ?? []) {
          const other = FRAMEWORKS.find((f) => normalizeRef(ref).startsWith(normalizeRef(f.refPrefix)));
          const id = other ? ref.slice(other.refPrefix.length) : '';
          if (!other || other === fw || !other.controls.some((x) => x.id === id || x.aliases?.includes(id))) wrong.push(`${fw.id} ${c.id}: ${ref}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('give every automated or partial control at least one rule of the catalogs, and manual ones none', () => {
    // Catalog rules this process has not registered are known by id only (no compliance refs).
    const registered = allRules();
    const universe = [...registered, ...CATALOG.filter((id) => !ruleById(id)).map((id) => ({ id, compliance: [] as string[] }))];
    const empty: string[] = [];
    for (const fw of FRAMEWORKS) {
      for (const c of fw.controls) {
        const mapped = mappedRules(fw, c, universe);
        if (c.automation === 'manual') expect(c.rules ?? [], `${fw.id} ${c.id}`).toEqual([]);
        else if (mapped.length === 0) empty.push(`${fw.id} ${c.id}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('match rule patterns as whole ids with * for any characters', () => {
    expect(rulePatternMatches('AUDIT-0*', 'AUDIT-001')).toBe(true);
    expect(rulePatternMatches('AUDIT-0*', 'AUDIT-043')).toBe(true);
    expect(rulePatternMatches('AUDIT-0*', 'XAUDIT-001')).toBe(false);
    expect(rulePatternMatches('AUDIT-0*', 'AUDIT-1')).toBe(false);
    expect(rulePatternMatches('IMG-08*', 'IMG-080')).toBe(true);
    expect(rulePatternMatches('IMG-08*', 'IMG-008')).toBe(false);
    expect(rulePatternMatches('K8S-001', 'K8S-0011')).toBe(false);
    expect(rulePatternMatches('A.B', 'AxB')).toBe(false);
    expect(normalizeRef('CIS EKS  5.4.2')).toBe(normalizeRef('cis-eks 5.4.2'));
  });

  it('give every framework reference of every registered rule a control to land on', () => {
    const unknown: string[] = [];
    for (const rule of allRules()) {
      for (const ref of rule.compliance) {
        const fw = FRAMEWORKS.find((f) => normalizeRef(ref).startsWith(normalizeRef(f.refPrefix)));
        if (!fw) continue; // MITRE, CIS Docker: no report for those
        const id = ref.slice(fw.refPrefix.length);
        if (!fw.controls.some((c) => c.id === id || c.aliases?.includes(id))) unknown.push(`${rule.id}: ${ref}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('map K8S-001 to CIS-K8S 5.2.2, NIST-800-190 4.4.3 and PCI-DSS 2.2.6 from its compliance refs', () => {
    expect(ruleById('K8S-001')).toBeDefined();
    for (const [framework, id] of [['cis-k8s', '5.2.2'], ['nist-800-190', '4.4.3'], ['pci-dss', '2.2.6'], ['nsa-cisa', 'Pod security: hardening container environments']]) {
      const { fw, c } = control(framework, id);
      expect(mappedRules(fw, c, allRules()).map((r) => r.id), `${framework} ${id}`).toContain('K8S-001');
    }
    const { fw, c } = control('cis-k8s', '5.1.6');
    expect(mappedRules(fw, c, allRules()).map((r) => r.id)).toEqual(['K8S-030']);
    const other = control('cis-k8s', '5.2.3');
    expect(mappedRules(other.fw, other.c, allRules()).map((r) => r.id)).not.toContain('K8S-001');
  });

  it('take the rules citing a control, its explicit list and patterns, crosswalk references and alternative spellings', () => {
    const rules = [
      { id: 'A-1', engine: 'k8s' as const, severity: 'high' as const, title: 'a', description: '', remediation: '', compliance: ['TEST 1.1'] },
      { id: 'A-2', engine: 'k8s' as const, severity: 'high' as const, title: 'b', description: '', remediation: '', compliance: ['TEST  short name'] },
    ];
    const fw: ComplianceFramework = {
      id: 'test',
      name: 'Test',
      version: '1',
      mappingVersion: '1',
      refPrefix: 'TEST ',
      controls: [
        { id: '1.1', title: 'derived', automation: 'automated' },
        { id: '1.2', title: 'explicit', rules: ['A-2', 'MISSING-9'], automation: 'automated' },
        { id: 'Long name', title: 'aliased', aliases: ['Short name'], automation: 'automated' },
        { id: '2', title: 'derived and listed', rules: ['B-*'], automation: 'partial' },
        { id: '3', title: 'crosswalk', refs: ['OTHER 9.9'], automation: 'partial' },
      ],
    };
    const more = [...rules, { ...rules[0], id: 'B-7', compliance: [] }, { ...rules[0], id: 'C-1', compliance: ['TEST 2', 'other-9.9'] }];
    expect(mappedRules(fw, fw.controls[0], rules).map((r) => r.id)).toEqual(['A-1']);
    expect(mappedRules(fw, fw.controls[1], rules).map((r) => r.id)).toEqual(['A-2']);
    expect(mappedRules(fw, fw.controls[2], rules).map((r) => r.id)).toEqual(['A-2']);
    expect(mappedRules(fw, fw.controls[3], more).map((r) => r.id)).toEqual(['B-7', 'C-1']);
    expect(mappedRules(fw, fw.controls[4], more).map((r) => r.id)).toEqual(['C-1']);
  });
});
