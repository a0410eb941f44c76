import { cloudRule, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export default cloudRule({
  id: 'EKS-004',
  severity: 'medium',
  title: 'Control-plane logging incomplete',
  subject: 'eks-cluster',
  description:
    'The enabled control-plane log types (`enabled_cluster_log_types`, CloudFormation `Logging.ClusterLogging.EnabledTypes`, or the live logging configuration) lack any of api, audit, authenticator, controllerManager and scheduler.',
  remediation:
    'Enable all five log types (Terraform `enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]`; live: `aws eks update-cluster-config --logging \'{"clusterLogging":[{"types":["api","audit","authenticator","controllerManager","scheduler"],"enabled":true}]}\'`).',
  compliance: ['CIS-EKS 2.1.1', 'PCI-DSS 10.2.1'],
  *check(cluster) {
    const setting = cluster.logTypes;
    if (isUnknown(setting.value) || setting.value.some(isUnknown)) return;
    const enabled = new Set(setting.value);
    const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.has(t));
    if (missing.length === 0) return;
    yield hitAt(
      setting,
      setting.explicit || setting.value.length > 0
        ? `control-plane logging is incomplete: ${setting.field} lacks ${missing.join(', ')}`
        : `control-plane logging is off: ${setting.field} is not set, so no control-plane logs are kept`,
    );
  },
});
