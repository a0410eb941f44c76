import { cloudRule } from '../rule.ts';

export default cloudRule({
  id: 'EKS-007',
  severity: 'medium',
  title: 'Cluster not connected to the audit sink',
  subject: 'eks-cluster',
  description:
    'Live posture scan only (Shipwatch’s own rule): the cluster does not send its Kubernetes audit log to Shipwatch. Either the `audit` control-plane log type is off, or its CloudWatch Logs group `/aws/eks/<name>/cluster` has no subscription filter delivering to the audit sink, so the audit detections never see this cluster.',
  remediation:
    'Enable the `audit` log type (see EKS-004) and add a subscription filter on `/aws/eks/<name>/cluster` whose destination is the Shipwatch audit-sink function (or the CloudWatch Logs destination in front of it); see docs/posture.md.',
  compliance: ['CIS-EKS 2.1.1', 'PCI-DSS 10.2.1'],
  *check(cluster) {
    const sink = cluster.auditSink;
    if (!sink) return;
    if (!sink.auditLogEnabled) {
      yield { field: 'auditSink', line: null, message: 'the audit log type is off, so the audit sink receives nothing from this cluster' };
    } else if (!sink.subscribed) {
      yield { field: 'auditSink', line: null, message: `no subscription filter on ${sink.logGroup} delivers to the audit sink` };
    }
  },
});
