import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';

/** Read-only kubelet endpoints that monitoring scrapes through nodes/proxy. */
const MONITORING_PATH = /^\/(?:metrics(?:\/.*)?|stats\/summary|healthz|configz)$/;

/** The kubelet path of a nodes/proxy request: `/api/v1/nodes/<node>/proxy/<path>` → `/<path>` (query removed). */
export function kubeletPath(requestURI: string): string {
  const q = requestURI.indexOf('?');
  const path = q >= 0 ? requestURI.slice(0, q) : requestURI;
  const m = /\/nodes\/[^/]+\/proxy(\/.*)?$/.exec(path);
  if (!m) return '';
  return m[1] ?? '/';
}

export default registerDetection({
  id: 'AUDIT-013',
  severity: 'high',
  title: 'Kubelet API reached through nodes/proxy',
  description: 'A non-control-plane identity used nodes/proxy, which reaches the kubelet API directly (/exec, /run, /pods) and bypasses admission control; monitoring identities scraping only metrics, stats or health paths are excluded.',
  remediation: 'Remove nodes/proxy from roles that do not strictly need it; list monitoring agents in audit.monitoringIdentities; investigate any /exec, /run or /pods access.',
  tier: 1,
  level: 'M',
  mitre: ['T1609', 'T1613'],
  resources: ['nodes'],
  evaluate(event, ctx) {
    if (event.subresource !== 'proxy' || !event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const path = kubeletPath(event.requestURI);
    if (MONITORING_PATH.test(path) && ctx.settings.isMonitoringIdentity(event.user.username)) return null;
    return {
      key: [event.user.username, event.name],
      message: `${actorLabel(event)} reached the kubelet of node ${event.name || '?'} through nodes/proxy${path ? ` (${path})` : ''}`,
      evidence: { node: event.name, kubeletPath: path, verb: event.verb },
    };
  },
});
