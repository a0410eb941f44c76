import type { RuleMeta } from '../rules/registry.ts';
import { ruleFamily } from './report-scope.ts';

/** Pseudo-kinds next to Kubernetes object kinds in a scan's `scannedKinds`. */
export const DOCKERFILE_KIND = 'Dockerfile';
/** Any readable file: the secret scanner reads them all. */
export const FILE_KIND = 'File';
/** A Terraform file or CloudFormation template: what the EKS/ECR rules read in a repository. */
export const AWS_TEMPLATE_KIND = 'AWS template';

/** The rules a file scan knows how to scope: by engine, or (EKS/ECR) by family. */
type ScopedRule = Pick<RuleMeta, 'id'> & { engine?: string };

const WORKLOADS = ['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout', 'DeploymentConfig'];
const ROLES = ['Role', 'ClusterRole'];
const BINDINGS = ['RoleBinding', 'ClusterRoleBinding'];

/**
 * The object kinds each catalog rule reads (rules/iac.md), so that a control whose rules had nothing
 * to look at is "not applicable" rather than a hollow "pass". Rules not listed here (K8S-047 and
 * K8S-066 read every object; future rules) count as in scope whenever their engine had input.
 */
const RULE_KINDS: Record<string, readonly string[]> = {
  ...rules(1, 27, WORKLOADS),
  'K8S-028': [...WORKLOADS, 'Service'],
  ...rules(29, 31, WORKLOADS),
  'K8S-032': ['ServiceAccount', ...BINDINGS],
  ...rules(33, 44, WORKLOADS),
  'K8S-045': ['ConfigMap'],
  'K8S-046': ['Secret'],
  'K8S-048': ['Namespace'],
  ...rules(49, 51, ROLES),
  'K8S-052': BINDINGS,
  ...rules(53, 59, ROLES),
  'K8S-060': BINDINGS,
  'K8S-061': ROLES,
  'K8S-062': WORKLOADS,
  'K8S-063': ['Service'],
  'K8S-064': ['Ingress'],
  'K8S-065': ['Ingress'],
};

function rules(from: number, to: number, kinds: readonly string[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (let n = from; n <= to; n++) out[`K8S-${String(n).padStart(3, '0')}`] = kinds;
  return out;
}

/**
 * Whether a file scan that read these kinds gave the rule anything to evaluate. Rules of image scans
 * and audit logs never evaluate files.
 */
export function ruleInScope(rule: ScopedRule, scannedKinds: ReadonlySet<string>): boolean {
  const family = ruleFamily(rule.id);
  if (family === 'EKS' || family === 'ECR') return scannedKinds.has(AWS_TEMPLATE_KIND);
  switch (rule.engine) {
    case 'k8s': {
      const kinds = RULE_KINDS[rule.id];
      if (kinds) return kinds.some((k) => scannedKinds.has(k));
      return [...scannedKinds].some((k) => k !== DOCKERFILE_KIND && k !== FILE_KIND);
    }
    case 'docker':
      return scannedKinds.has(DOCKERFILE_KIND);
    case 'secret':
      return scannedKinds.has(FILE_KIND);
    default:
      // Image checks read pushed images and detections read audit logs, never a repository scan.
      return false;
  }
}

/**
 * "no Role or ClusterRole in the scan", for the reason of a control that is not assessed; rules that
 * read image or audit results instead of files add "; no image scan results given".
 */
export function missingInput(rulesOfControl: readonly ScopedRule[]): string {
  const files = new Set<string>();
  const results = new Set<string>();
  for (const r of rulesOfControl) {
    const family = ruleFamily(r.id);
    if (family === 'EKS' || family === 'ECR') files.add('Terraform or CloudFormation templates');
    else if (family === 'IMG') results.add('image scan results');
    else if (family === 'AUDIT') results.add('audit-log results');
    else if (r.engine === 'docker') files.add('Dockerfiles');
    else if (r.engine === 'secret') files.add('files');
    else if (RULE_KINDS[r.id] === WORKLOADS) files.add('workloads');
    else if (RULE_KINDS[r.id]) for (const k of RULE_KINDS[r.id]) files.add(k);
    else files.add('Kubernetes objects');
  }
  const parts = [];
  if (files.size > 0) parts.push(`no ${either([...files])} in the scan`);
  if (results.size > 0) parts.push(`no ${either([...results])} given`);
  return parts.join('; ');
}

function either(list: string[]): string {
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : list[0];
}
