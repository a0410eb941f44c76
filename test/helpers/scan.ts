import { scanSources, type ScanOptions } from '../../shared/scan/engine.ts';
import type { Finding } from '../../shared/findings/finding.ts';

/** Scans one in-memory file (default `manifest.yaml`) with the real engine. */
export function scanText(text: string, options: ScanOptions & { path?: string } = {}) {
  const { path = 'manifest.yaml', ...rest } = options;
  return scanSources([{ path, text }], rest);
}

/** Findings of one rule for a YAML text. */
export function findingsFor(ruleId: string, text: string, options: ScanOptions & { path?: string } = {}): Finding[] {
  return scanText(text, options).findings.filter((f) => f.ruleId === ruleId);
}

/** Wraps a pod spec (YAML, indented for `spec:`) in each workload kind, so a rule is checked on all of them. */
export function inEveryWorkloadKind(podSpecYaml: string, name = 'app'): Record<string, string> {
  const indent = (s: string, n: number) => s.split('\n').map((l) => (l.trim() ? ' '.repeat(n) + l : l)).join('\n');
  const tmpl = (n: number) => `${' '.repeat(n)}metadata:\n${' '.repeat(n + 2)}labels: {app: ${name}}\n${' '.repeat(n)}spec:\n${indent(podSpecYaml, n + 2)}`;
  const controller = (kind: string, apiVersion: string) =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  template:\n${tmpl(4)}\n`;
  return {
    Pod: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {app: ${name}}\nspec:\n${indent(podSpecYaml, 2)}\n`,
    PodTemplate: `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: ${name}\ntemplate:\n${tmpl(2)}\n`,
    Deployment: controller('Deployment', 'apps/v1'),
    StatefulSet: controller('StatefulSet', 'apps/v1'),
    DaemonSet: controller('DaemonSet', 'apps/v1'),
    ReplicaSet: controller('ReplicaSet', 'apps/v1'),
    ReplicationController: controller('ReplicationController', 'v1'),
    Job: controller('Job', 'batch/v1'),
    CronJob: `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n${tmpl(8)}\n`,
  };
}
