import * as z from 'zod';
import { cloudRule, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

/**
 * The oldest Kubernetes version EKS still supports (standard or extended support) when this was
 * written: 1.31's extended support ended on 26 November 2026, 1.32's ends on 23 March 2027.
 * Teams that want to avoid extended-support fees set the oldest version in standard support.
 */
export const DEFAULT_OLDEST_SUPPORTED_EKS_VERSION = '1.32';

const version = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d+\.\d+$/.test(v), 'expected a version such as "1.32"');

const options = z.object({ oldestSupportedVersion: version.default(DEFAULT_OLDEST_SUPPORTED_EKS_VERSION) });

const parse = (v: string): [number, number] | null => {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
};

export default cloudRule({
  id: 'EKS-006',
  severity: 'medium',
  title: 'Unsupported Kubernetes version',
  subject: 'eks-cluster',
  optionsSchema: options,
  description: `The cluster's Kubernetes \`version\` is older than the oldest supported EKS version (option \`oldestSupportedVersion\`, default ${DEFAULT_OLDEST_SUPPORTED_EKS_VERSION}). An omitted version means the current default and is not reported.`,
  remediation: 'Upgrade the control plane one minor version at a time (then the node groups and add-ons) until it is at or above the oldest supported version; raise `ruleOptions.EKS-006.oldestSupportedVersion` as the EKS calendar moves.',
  compliance: ['PCI-DSS 6.3.3'],
  *check(cluster, { options }) {
    const setting = cluster.version;
    if (setting.value === null || isUnknown(setting.value)) return;
    const current = parse(setting.value);
    const oldest = parse(options.oldestSupportedVersion);
    if (!current || !oldest) return;
    if (current[0] > oldest[0] || (current[0] === oldest[0] && current[1] >= oldest[1])) return;
    yield hitAt(setting, `Kubernetes ${setting.value} is no longer supported by EKS (oldest supported: ${options.oldestSupportedVersion})`);
  },
});
