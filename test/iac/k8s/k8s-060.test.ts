import { describe, expect, it } from 'vitest';
import { findingsFor, scanText } from '../../helpers/scan.ts';

const binding = (subjects: string, kind = 'ClusterRoleBinding', name = 'open-door') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: "${name}"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
${subjects}`;

describe('K8S-060 binding to anonymous, all-authenticated or system:masters', () => {
  for (const name of ['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:masters']) {
    for (const subjectKind of ['User', 'Group']) {
      it(`fires on a ${subjectKind} subject ${name}, on the subject name line`, () => {
        const yaml = binding(`- kind: ServiceAccount\n  name: app\n  namespace: shop\n- kind: ${subjectKind}\n  name: "${name}"\n  apiGroup: rbac.authorization.k8s.io\n`);
        const [f, ...rest] = findingsFor('K8S-060', yaml);
        expect(rest).toEqual([]);
        expect(f.severity).toBe('critical');
        expect(f.message).toContain(`binds ${subjectKind} "${name}"`);
        expect(f.location?.line).toBe(yaml.split('\n').indexOf(`  name: "${name}"`) + 1);
      });
    }
  }

  it('reports every such subject of a RoleBinding', () => {
    const yaml = binding(`- {kind: Group, name: "system:authenticated"}\n- {kind: Group, name: "system:unauthenticated"}\n`, 'RoleBinding');
    expect(findingsFor('K8S-060', yaml).map((f) => f.message)).toEqual([
      'binds Group "system:authenticated" (every authenticated user)',
      'binds Group "system:unauthenticated" (every unauthenticated request)',
    ]);
  });

  it('passes for named subjects, other system identities, ServiceAccounts and system: bindings', () => {
    for (const yaml of [
      binding(`- {kind: Group, name: developers}\n- {kind: User, name: alice@example.com}\n`),
      binding(`- {kind: Group, name: "system:serviceaccounts:shop"}\n- {kind: User, name: "system:kube-proxy"}\n`),
      binding(`- {kind: ServiceAccount, name: "system:anonymous", namespace: shop}\n`),
      binding(`- {kind: Group, name: "system:authenticated"}\n`, 'ClusterRoleBinding', 'system:public-info-viewer'),
    ]) {
      expect(findingsFor('K8S-060', yaml)).toEqual([]);
    }
  });

  it('does not throw on malformed subjects', () => {
    const yaml = binding(`- 5\n- {kind: [Group], name: "system:masters"}\n- {kind: Group, name: 7}\n`);
    expect(scanText(yaml).errors).toEqual([]);
    expect(findingsFor('K8S-060', yaml)).toEqual([]);
  });
});
