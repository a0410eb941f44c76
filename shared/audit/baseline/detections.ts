// The two learned-behaviour detections. Their `evaluate` proposes every request that takes part in
// a baseline; the processor keeps only the proposals its baseline learner confirms as new
// behaviour after the learning period (learner.ts), and runs them only when it has a baseline store.
import { actorLabel, registerDetection } from '../detection.ts';
import { baselineSubject, type BaselineSubject } from './subject.ts';

/** A deviation keeps grouping for a day: one alert per identity and tuple per day at most. */
const BASELINE_WINDOW_SECONDS = 24 * 3600;

function describe(subject: BaselineSubject): string {
  const { verb, resource, subresource, scope } = subject.tuple;
  const where = scope === 'cluster' ? 'cluster-wide' : scope === 'own' ? 'in its own namespace' : scope === 'other' ? 'in another application namespace' : `in ${scope.slice('namespace:'.length)}`;
  return `${verb} ${resource}${subresource ? `/${subresource}` : ''} ${where}`;
}

export const serviceAccountBaseline = registerDetection({
  id: 'AUDIT-BASELINE-001',
  severity: 'medium',
  tier: 2,
  level: 'M',
  levelNote: 'learns per identity: audit-sink and shipwatch serve keep what they learned; shipwatch audit learns within one run',
  title: 'Service account acted outside its learned baseline',
  description:
    'After its learning period (audit.baseline.learningDays, default 7 days from its first request), a service account made a request whose (verb, resource, subresource, namespace scope) it never used while learning.',
  remediation:
    'Check what changed: a new release of the workload (reset its baseline with DELETE /baselines/{cluster}/{serviceAccount} to learn again) or a stolen token (rotate it and review what it did).',
  mitre: ['T1078', 'T1528'],
  baseline: true,
  windowSeconds: BASELINE_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const subject = baselineSubject(event, ctx.settings);
    if (subject?.kind !== 'service-account' || ctx.baselineKnown(subject.identity, subject.key)) return null;
    return {
      key: [subject.identity, subject.key],
      message: `${actorLabel(event)} did something new for it: ${describe(subject)}`,
      evidence: { baseline: { identity: subject.identity, tuple: subject.tuple } },
    };
  },
});

export const humanBaseline = registerDetection({
  id: 'AUDIT-BASELINE-002',
  severity: 'low',
  tier: 2,
  level: 'M',
  levelNote: 'learns per identity: audit-sink and shipwatch serve keep what they learned; shipwatch audit learns within one run',
  title: 'Human identity did something new in a platform namespace',
  description:
    'After the cluster\'s learning period, a human (non-service-account, non-control-plane) identity made a request in a platform namespace whose (verb, resource, subresource) it had never made there before.',
  remediation: 'Confirm the change with the person; expected one-off operations can be suppressed, a compromised account needs its credentials revoked.',
  mitre: ['T1078'],
  baseline: true,
  windowSeconds: BASELINE_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const subject = baselineSubject(event, ctx.settings);
    if (subject?.kind !== 'human' || ctx.baselineKnown(subject.identity, subject.key)) return null;
    return {
      key: [subject.identity, subject.key],
      message: `${actorLabel(event)} did something new for them in a platform namespace: ${describe(subject)}`,
      evidence: { baseline: { identity: subject.identity, tuple: subject.tuple } },
    };
  },
});
