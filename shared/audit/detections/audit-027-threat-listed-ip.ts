import { actorLabel, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-027',
  severity: 'high',
  tier: 2,
  level: 'M',
  title: 'API request from a threat-listed or Tor IP',
  description:
    'An address in the request\'s sourceIPs is on the configured threat list (Tor exit nodes, IOC feeds). Does nothing until audit.threatIps lists addresses or ranges.',
  remediation: 'Block the address at the API server\'s network edge, find which credential it used and rotate it.',
  mitre: ['T1090.003', 'T1078'],
  isConfigured: (settings) => settings.threatIps.size > 0,
  evaluate(event, ctx) {
    const listed = event.sourceIPs.filter((ip) => ctx.settings.threatIps.has(ip));
    if (listed.length === 0) return null;
    return {
      key: [listed[0], event.user.username],
      message: `request from threat-listed address ${listed.join(', ')} by ${actorLabel(event)} (${event.verb || 'request'} ${event.requestURI || ''})`.trim(),
      evidence: { listedIPs: listed, outcome: event.outcome },
    };
  },
});
