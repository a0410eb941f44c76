// What a request contributes to a learned baseline: the identity it belongs to and the
// (verb, resource, subresource, namespace scope) tuple it uses. Pure; the learner decides what
// to do with it.
import type { AuditEvent } from '../event.ts';
import { serviceAccountOf } from '../identity.ts';
import type { AuditSettings } from '../settings.ts';
import type { BaselineKind } from './store.ts';

export interface BaselineTuple {
  verb: string;
  resource: string;
  subresource: string;
  /**
   * Service accounts: `cluster` (cluster-scoped or all-namespaces request), `own` (its own
   * namespace), `namespace:<name>` (a platform namespace), `other` (any other namespace: operators
   * acting in every new application namespace stay inside their baseline).
   * Humans: `namespace:<platform namespace>` (only platform namespaces are learned for them).
   */
  scope: string;
}

export interface BaselineSubject {
  identity: string;
  kind: BaselineKind;
  tuple: BaselineTuple;
  /** The tuple as stored: `verb|resource|subresource|scope`. */
  key: string;
}

export function encodeTuple(t: BaselineTuple): string {
  return `${t.verb}|${t.resource}|${t.subresource}|${t.scope}`;
}

export function decodeTuple(key: string): BaselineTuple {
  const [verb = '', resource = '', subresource = '', ...scope] = key.split('|');
  return { verb, resource, subresource, scope: scope.join('|') };
}

/**
 * The baseline subject of an event, or null when the event does not take part in baselines:
 * failed requests (not something the identity uses), non-resource requests (/healthz, discovery),
 * control-plane and anonymous actors, and humans outside platform namespaces.
 */
export function baselineSubject(event: AuditEvent, settings: AuditSettings): BaselineSubject | null {
  // Both baseline detections and the learner ask for every event: computed once per event.
  return event.memo(subjectMemo, () => computeSubject(event, settings));
}

const subjectMemo = Symbol('baseline subject');

function computeSubject(event: AuditEvent, settings: AuditSettings): BaselineSubject | null {
  if (!event.notFailed || event.verb === '' || event.resource === '') return null;
  const identity = event.user.username;
  const identityClass = settings.identities.classify(event.user);
  const namespace = event.namespace;
  let kind: BaselineKind;
  let scope: string;
  if (identityClass === 'workload') {
    const sa = serviceAccountOf(identity)!;
    kind = 'service-account';
    if (namespace === '') scope = 'cluster';
    else if (namespace === sa.namespace) scope = 'own';
    else if (settings.platformNamespaces.has(namespace)) scope = `namespace:${namespace}`;
    else scope = 'other';
  } else if (identityClass === 'external' && identity !== '' && settings.platformNamespaces.has(namespace)) {
    kind = 'human';
    scope = `namespace:${namespace}`;
  } else return null;
  const tuple = { verb: event.verb, resource: event.resource, subresource: event.subresource, scope };
  return { identity, kind, tuple, key: encodeTuple(tuple) };
}
