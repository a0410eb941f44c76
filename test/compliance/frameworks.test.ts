import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, frameworkById, type ComplianceFramework } from '../../shared/compliance/framework.ts';
import { mappedRules } from '../../shared/compliance/report.ts';
import { allRules, ruleById } from '../../shared/rules/registry.ts';

function control(framework: string, id: string) {
  const fw = frameworkById(framework)!;
  const c = fw.controls.find((x) => x.id === id);
  if (!c) throw new Error(`${framework} has no control ${id}`);
  return { fw, c };
}

describe('compliance frameworks (data)', () => {
  it('are the four report frameworks, each with a name, version, prefix and unique controls', () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual(['cis-k8s', 'nsa-cisa', 'nist-800-190', 'pci-dss']);
    expect(FRAMEWORKS.map((f) => f.refPrefix)).toEqual(['CIS-K8S ', 'NSA-CISA ', 'NIST-800-190 ', 'PCI-DSS ']);
    for (const fw of FRAMEWORKS) {
      expect(fw.name).not.toBe('');
      expect(fw.version).not.toBe('');
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
    for (const id of ids('nist-800-190')) expect(id).toMatch(/^4\.[1-5]\.[1-5]$/);
    for (const id of ids('pci-dss')) expect(id).toMatch(/^\d{1,2}\.\d\.\d$/);
    const cis = ids('cis-k8s');
    const referenced = [
      ...Array.from({ length: 13 }, (_, i) => `5.1.${i + 1}`),
      ...Array.from({ length: 13 }, (_, i) => `5.2.${i + 1}`),
      '5.3.2', '5.4.1', '5.4.2', '5.5.1', '5.7.1', '5.7.2', '5.7.3', '5.7.4',
    ];
    expect(cis).toEqual(expect.arrayContaining(referenced));
    expect(ids('nsa-cisa')).toEqual(expect.arrayContaining(['Pod security: hardening container environments', 'Pod security enforcement', 'Authentication and authorization']));
  });

  it('give every framework reference of every registered rule a control to land on', () => {
    const unknown: string[] = [];
    for (const rule of allRules()) {
      for (const ref of rule.compliance) {
        const fw = FRAMEWORKS.find((f) => ref.startsWith(f.refPrefix));
        if (!fw) continue; // MITRE, CIS Docker/EKS: no report for those
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

  it('honour an explicit rule list and alternative spellings of a reference', () => {
    const rules = [
      { id: 'A-1', engine: 'k8s' as const, severity: 'high' as const, title: 'a', description: '', remediation: '', compliance: ['TEST 1.1'] },
      { id: 'A-2', engine: 'k8s' as const, severity: 'high' as const, title: 'b', description: '', remediation: '', compliance: ['TEST  short name'] },
    ];
    const fw: ComplianceFramework = {
      id: 'test',
      name: 'Test',
      version: '1',
      refPrefix: 'TEST ',
      controls: [
        { id: '1.1', title: 'derived', automation: 'automated' },
        { id: '1.2', title: 'explicit', rules: ['A-2', 'MISSING-9'], automation: 'automated' },
        { id: 'Long name', title: 'aliased', aliases: ['Short name'], automation: 'automated' },
      ],
    };
    expect(mappedRules(fw, fw.controls[0], rules).map((r) => r.id)).toEqual(['A-1']);
    expect(mappedRules(fw, fw.controls[1], rules).map((r) => r.id)).toEqual(['A-2']);
    expect(mappedRules(fw, fw.controls[2], rules).map((r) => r.id)).toEqual(['A-2']);
  });
});
