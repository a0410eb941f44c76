import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

const DANGEROUS = new Set(['SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'BPF', 'PERFMON', 'NET_ADMIN', 'DAC_READ_SEARCH', 'DAC_OVERRIDE', 'ALL']);
/** These two amount to a privileged container. */
const ESCALATING = new Set(['SYS_ADMIN', 'ALL']);

/** `cap_sys_admin` → `SYS_ADMIN`. */
const normalise = (cap: string) => cap.toUpperCase().replace(/^CAP_/, '');

export default registerDetection({
  id: 'AUDIT-006',
  severity: 'medium',
  title: 'Container adds dangerous Linux capabilities',
  description: 'A pod or workload template adds SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, SYS_BOOT, BPF, PERFMON, NET_ADMIN, DAC_READ_SEARCH, DAC_OVERRIDE or ALL to an untrusted container (HIGH for SYS_ADMIN or ALL).',
  remediation: 'Drop the capability; grant the narrowest one the process needs (NET_BIND_SERVICE rather than NET_ADMIN) and keep node agents in platform namespaces.',
  tier: 1,
  level: 'R',
  mitre: ['T1611'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec) return null;
    const offending = spec.containers.flatMap((c) => {
      if (isTrustedImage(ctx.settings, c.image)) return [];
      const capabilities = c.securityContext.capabilities as { add?: unknown } | undefined;
      const added = Array.isArray(capabilities?.add) ? capabilities.add.filter((x): x is string => typeof x === 'string').map(normalise) : [];
      const dangerous = [...new Set(added.filter((cap) => DANGEROUS.has(cap)))];
      return dangerous.length > 0 ? [{ name: c.name, image: c.image, capabilities: dangerous }] : [];
    });
    if (offending.length === 0) return null;
    const escalating = offending.some((c) => c.capabilities.some((cap) => ESCALATING.has(cap)));
    return {
      key: [event.namespace, spec.owner],
      message: `${spec.owner} in ${event.namespace || '(no namespace)'} adds ${offending.map((c) => `${c.capabilities.join(', ')} to ${c.name}`).join('; ')}`,
      severity: escalating ? 'high' : 'medium',
      resource: workloadResource(event, spec),
      container: offending[0].name,
      images: offending.map((c) => c.image),
      evidence: { objectKind: spec.objectKind, owner: spec.owner, containers: offending },
    };
  },
});
