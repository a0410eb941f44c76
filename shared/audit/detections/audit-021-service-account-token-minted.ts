import { actorLabel, isControlPlane, isPlatformNamespace, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-021',
  severity: 'medium',
  title: 'Service-account token minted by a non-control-plane identity',
  description: 'A non-control-plane identity requested a service-account token (serviceaccounts/token create) or created a legacy long-lived token secret (type kubernetes.io/service-account-token); HIGH in a platform namespace.',
  remediation: 'Confirm who needed a token for that service account; prefer short-lived projected tokens and remove legacy token secrets.',
  tier: 1,
  level: 'M',
  levelNote: 'R for token secrets',
  mitre: ['T1528', 'T1550.001'],
  resources: ['serviceaccounts', 'secrets'],
  verbs: ['create'],
  evaluate(event, ctx) {
    if (event.verb !== 'create' || !event.notFailed || isControlPlane(event, ctx.settings)) return null;
    let account: string;
    let via: 'TokenRequest' | 'token secret';
    if (event.resource === 'serviceaccounts' && event.subresource === 'token') {
      account = event.name;
      via = 'TokenRequest';
    } else if (event.resource === 'secrets' && event.subresource === '') {
      const body = event.requestObject as { type?: unknown; metadata?: { annotations?: Record<string, unknown> } } | null | undefined;
      if (typeof body !== 'object' || body === null || body.type !== 'kubernetes.io/service-account-token') return null;
      const annotated = body.metadata?.annotations?.['kubernetes.io/service-account.name'];
      account = typeof annotated === 'string' ? annotated : '';
      via = 'token secret';
    } else return null;
    const platform = isPlatformNamespace(ctx.settings, event.namespace);
    return {
      key: [event.user.username, event.namespace, account],
      message: `${actorLabel(event)} minted a token for service account ${event.namespace}/${account || '?'} (${via})`,
      severity: platform ? 'high' : 'medium',
      evidence: { serviceAccount: account, namespace: event.namespace, via, ...(via === 'token secret' ? { secret: event.name } : {}) },
    };
  },
});
