import * as z from 'zod';
import { asArray, asMap, asString, isMap, labelsOf, stringsOf, type Manifest } from '../manifest.ts';
import { podRule } from '../rule.ts';

const isNetworkPolicy = (m: Manifest) =>
  m.kind === 'NetworkPolicy' && (m.apiVersion.startsWith('networking.k8s.io/') || m.apiVersion.startsWith('extensions/'));

/** The directions a policy isolates; without policyTypes the API server assumes Ingress, plus Egress when egress rules are present. */
function policyTypesOf(policy: Manifest): string[] {
  const spec = asMap(policy.object.spec);
  const written = stringsOf(spec?.policyTypes);
  if (written.length > 0) return written;
  return asArray(spec?.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Label-selector semantics: matchLabels and matchExpressions must all hold; an empty (or absent) selector selects every pod. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  const sel = asMap(selector);
  if (!sel) return false;
  const matchLabels = sel.matchLabels ?? {};
  const matchExpressions = sel.matchExpressions ?? [];
  if (!isMap(matchLabels) || !Array.isArray(matchExpressions)) return false; // an invalid selector selects nothing
  for (const [key, value] of Object.entries(matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const entry of matchExpressions) {
    const expr = asMap(entry);
    const key = asString(expr?.key);
    if (key === undefined) return false;
    const has = Object.hasOwn(labels, key);
    const values = stringsOf(expr?.values);
    switch (expr?.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // unknown operator: invalid, selects nothing
    }
  }
  return true;
}

export default podRule({
  id: 'K8S-062',
  severity: 'medium',
  title: 'Workload not isolated by a NetworkPolicy',
  description:
    "No NetworkPolicy of the workload's namespace in the scanned set selects its pods for Ingress, or none for Egress. Evaluated only for namespaces with at least one NetworkPolicy in the scanned set, or everywhere with ruleOptions.K8S-062.requireEverywhere: true.",
  remediation: "Add a NetworkPolicy in the workload's namespace whose podSelector matches its pods (a default-deny policy with podSelector: {} and policyTypes [Ingress, Egress] is a good base), then allow the traffic it needs.",
  compliance: ['CIS-K8S 5.3.2', 'NSA-CISA Network separation: network policies', 'NIST-800-190 4.3.3', 'NIST-800-190 4.4.2', 'PCI-DSS 1.3.1', 'PCI-DSS 1.3.2', 'PCI-DSS 1.4.1', 'MITRE T1046'],
  optionsSchema: z.strictObject({
    /** Evaluate namespaces without any NetworkPolicy in the scanned set too (policies are not kept in another repository). */
    requireEverywhere: z.boolean().default(false),
  }),
  check(pod, { manifest, ofKind, options }) {
    // An omitted namespace only matches policies that omit it too.
    const policies = ofKind('NetworkPolicy').filter((m) => isNetworkPolicy(m) && m.namespace === manifest.namespace);
    if (policies.length === 0 && !options.requireEverywhere) return;
    const labels = labelsOf(pod.meta);
    const selecting = policies.filter((p) => selects(asMap(p.object.spec)?.podSelector, labels));
    const missing = ['Ingress', 'Egress'].filter((type) => !selecting.some((p) => policyTypesOf(p).includes(type)));
    if (missing.length === 0) return;
    const namespace = manifest.namespace === null ? 'with no namespace set' : `of namespace "${manifest.namespace}"`;
    return {
      path: [...pod.metaPath, 'labels'],
      message: `no NetworkPolicy ${namespace} in the scanned set selects its pods for ${missing.join(' or ')}`,
    };
  },
});
