// The audit detection framework: what a detection is, how it registers, and the helpers every
// detection shares (catalog shared/rules/audit.md §0).
//
// A detection is one module under shared/audit/detections/ (audit-0NN-slug.ts, listed by the
// generated all.ts) that calls `registerDetection({...})` at import time. It declares its catalog
// metadata (id, title, severity, tier, audit level, MITRE ids), optionally the objectRef
// resources and verbs it can match (`resources`, `verbs`: pre-filters, so most events never reach
// it), its suppression window, and `evaluate(event, ctx)`, a pure function over one normalised
// `AuditEvent` (event.ts) that returns zero or more `DetectionMatch`es. It never throws on missing
// fields: AuditEvent gives '' / null / [] for everything absent.
//
// What the processor (processor.ts) does around `evaluate`, so detections do not:
// - §0.1: rejects non-events, drops RequestReceived/Panic (and ResponseStarted except for
//   streaming subresources), de-duplicates on auditID + stage (exec/attach/portforward/proxy: the
//   first of ResponseStarted/ResponseComplete wins; only events that match something need it, as
//   evaluation is pure), computes outcome and client IP. A detection still checks the outcome
//   itself (`event.notFailed` is "not failed", the catalog default).
// - §0.3 user exceptions (`audit.exceptions` in .shipwatch.yaml, and those of the detections named
//   in `exceptionsFrom`): field matchers over the event and the match (user, group, namespace,
//   name, resource, verb, image, userAgent, sourceIP, command). A matching exception does not drop
//   the match: the finding is kept, suppressed, and names the exception in `audit.suppressedBy`.
//   E-PLAT and E-IMG are catalog exceptions that a detection applies itself with
//   `isPlatformActivity` / `isTrustedImage` (no finding at all).
// - §0.5 grouping: the group key is detection id + cluster + `match.key`; a match inside an open
//   group's window (`windowSeconds`: 60 min by default, POD_SPEC_WINDOW_SECONDS for pod-spec
//   detections) increments count/lastSeen of that finding instead of alerting again. The
//   fingerprint is derived from detection id, cluster, group key and the group's opening time, so
//   it is stable while the group is open (the store updates it, no new alert) and a match after the
//   window is a new finding (a new alert).
// - merges: a detection that `absorbs` others removes their matches for the same event and lists
//   their ids in its finding (`audit.detectionIds`): AUDIT-010 absorbs AUDIT-009, AUDIT-017
//   absorbs AUDIT-018 (not raised for the same object), AUDIT-004 absorbs AUDIT-005.
// - thresholds (`threshold`): each match is one event of a per-key counter (or, with
//   `distinct`, one `match.distinctTarget`); the finding opens when the counter reaches `count`
//   inside `windowSeconds` (both overridable as `audit.thresholds.<id>.count` / `.windowSeconds`);
//   while that finding's group is open further matches increment it.
// - enablement: `enabledByDefault` (Tier 3: false), `audit.enable` / `audit.disable`, and
//   `isConfigured(settings)` for detections that need a list to do anything (threat IPs,
//   allow-lists); severity overrides (`audit.severity.<id>`) and routing (`audit.routing.<id>`).
// - metrics: `ctx.metric(name)` counts `<name>.<detection id>`; `ctx.podSpec()` counts
//   `spec_unavailable.<id>` itself when the request body is missing or a JSON patch (§0.4).
import type { z } from 'zod';
import type { ResourceRef, Severity } from '../findings/finding.ts';
import { registerRule, type RuleMeta } from '../rules/registry.ts';
import type { AuditEvent } from './event.ts';
import { serviceAccountOf, type IdentityClass } from './identity.ts';
import type { PodSpecView } from './pod-spec.ts';
import { isTrustedImage as trustedImage, type AuditSettings } from './settings.ts';

export type AuditLevel = 'M' | 'R' | 'RR';

export const DEFAULT_WINDOW_SECONDS = 3600;
/** §0.5: pod-spec detections group for 6 hours (a rollout recreates pods for a while). */
export const POD_SPEC_WINDOW_SECONDS = 6 * 3600;

/** One thing a detection found in one event. */
export interface DetectionMatch {
  /**
   * What the alert is about, beyond detection id and cluster (which the framework adds), e.g.
   * [actor, namespace, pod]. Matches with equal keys group into one finding.
   */
  key: readonly (string | number | boolean | null | undefined)[];
  message: string;
  /** Severity variant (e.g. HIGH in a platform namespace); defaults to the detection's. */
  severity?: Severity;
  /** Defaults to the event's objectRef. */
  resource?: ResourceRef;
  container?: string | null;
  /** Offending images: matched by the exception field `image` (all must match). */
  images?: readonly string[];
  /** Exec / container command: matched by the exception field `command`. */
  command?: string;
  /** Detection-specific evidence (images, hostPath paths, RBAC rules, command...): stored in `audit.evidence`. */
  evidence?: Record<string, unknown>;
  /** Threshold detections with `distinct`: the target this event counts as (e.g. secret name). */
  distinctTarget?: string;
}

export interface DetectionContext<O = Record<string, unknown>> {
  readonly cluster: string;
  readonly settings: AuditSettings;
  /** `audit.options.<id>`, validated by `optionsSchema` when the detection has one. */
  readonly options: O;
  /** §0.4 pod spec of the event (cached per event); null when not a pod-spec request or unavailable (then `spec_unavailable.<id>` is counted). */
  podSpec(): PodSpecView | null;
  /** Counts `<name>.<detection id>` in the batch metrics. */
  metric(name: string, by?: number): void;
  /** Baseline detections: the identity has already learned this tuple (see BaselineLearner.known). */
  baselineKnown(identity: string, tupleKey: string): boolean;
}

export interface ThresholdSpec {
  count: number;
  windowSeconds: number;
  /** Count distinct `match.distinctTarget`s instead of events. */
  distinct?: boolean;
}

export interface Detection<O = Record<string, unknown>> extends RuleMeta {
  engine: 'audit';
  tier: 1 | 2 | 3;
  /** Audit level needed (§0.6): Metadata, Request, RequestResponse. */
  level: AuditLevel;
  /** e.g. "R for image", "not on EKS". */
  levelNote?: string;
  /** ATT&CK technique ids (T1611, ...). */
  mitre: readonly string[];
  enabledByDefault: boolean;
  /** objectRef.resource values the detection can match; absent = every event. */
  resources?: readonly string[];
  /** Verbs the detection can match; absent = every verb (a pre-filter like `resources`). */
  verbs?: readonly string[];
  windowSeconds: number;
  threshold?: ThresholdSpec;
  /** Detections whose matches on the same event this one replaces (listed in its finding). */
  absorbs?: readonly string[];
  /** Detections whose user exceptions apply to this one too (AUDIT-010 shares AUDIT-009's allow-list). */
  exceptionsFrom?: readonly string[];
  /**
   * Learned-behaviour detection (shared/audit/baseline/): its matches are proposals that the
   * processor's baseline learner confirms or drops; without a baseline store it does not run.
   */
  baseline?: boolean;
  /** False when the configuration gives the detection nothing to work with (no list configured). */
  isConfigured?(settings: AuditSettings): boolean;
  optionsSchema?: z.ZodType<O>;
  evaluate(event: AuditEvent, ctx: DetectionContext<O>): DetectionMatch | readonly DetectionMatch[] | null | undefined;
}

export type DetectionDefinition<O> = Omit<Detection<O>, 'engine' | 'compliance' | 'offByDefault' | 'windowSeconds' | 'enabledByDefault'> & {
  windowSeconds?: number;
  /** Defaults to true for Tier 1 and 2, false for Tier 3. */
  enabledByDefault?: boolean;
  /** Extra compliance references besides the MITRE ids. */
  compliance?: string[];
};

const detections = new Map<string, Detection<never>>();

/** Called once by each detection module at import time; also registers the rule metadata (`shipwatch rules`). */
export function registerDetection<O = Record<string, unknown>>(def: DetectionDefinition<O>): Detection<O> {
  const enabledByDefault = def.enabledByDefault ?? def.tier !== 3;
  const detection: Detection<O> = {
    ...def,
    engine: 'audit',
    enabledByDefault,
    offByDefault: !enabledByDefault,
    windowSeconds: def.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
    compliance: [...def.mitre.map((t) => `MITRE ${t}`), ...(def.compliance ?? [])],
  };
  registerRule(detection);
  detections.set(detection.id, detection as unknown as Detection<never>);
  return detection;
}

export function allDetections(): Detection<unknown>[] {
  return [...detections.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })) as Detection<unknown>[];
}

export function detectionById(id: string): Detection<unknown> | undefined {
  return detections.get(id) as Detection<unknown> | undefined;
}

// ---- helpers every detection uses -------------------------------------------------------------

export const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
export const CHANGE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch']);
/** kubectl exec/attach/port-forward arrive as create (SPDY) or get (WebSocket) (§0.1). */
export const STREAM_VERBS: ReadonlySet<string> = new Set(['create', 'get']);

export function identityClass(event: AuditEvent, settings: AuditSettings): IdentityClass {
  return settings.identities.classify(event.user);
}

export function isControlPlane(event: AuditEvent, settings: AuditSettings): boolean {
  return settings.identities.isControlPlane(event.user.username);
}

export function isPlatformNamespace(settings: AuditSettings, namespace: string): boolean {
  return namespace !== '' && settings.platformNamespaces.has(namespace);
}

/** E-PLAT (§0.3): a control-plane actor or a platform namespace's service account, acting in a platform namespace. */
export function isPlatformActivity(event: AuditEvent, settings: AuditSettings, namespace = event.namespace): boolean {
  if (!isPlatformNamespace(settings, namespace)) return false;
  if (settings.identities.isControlPlane(event.user.username)) return true;
  const sa = serviceAccountOf(event.user.username);
  return sa !== null && settings.platformNamespaces.has(sa.namespace);
}

/** E-IMG (§0.3). */
export function isTrustedImage(settings: AuditSettings, image: string): boolean {
  return trustedImage(settings, image);
}

/**
 * The pod spec (§0.4) of a request that did not fail, or null. With `platformException`, E-PLAT
 * requests are skipped before the spec is looked at (so they do not count as spec_unavailable).
 */
export function evaluablePodSpec(event: AuditEvent, ctx: DetectionContext<unknown>, options: { platformException: boolean }): PodSpecView | null {
  if (!event.notFailed) return null;
  if (options.platformException && isPlatformActivity(event, ctx.settings)) return null;
  return ctx.podSpec();
}

/** The owning workload of a pod spec as the finding's resource (pod- and workload-level matches share it). */
export function workloadResource(event: AuditEvent, spec: PodSpecView): ResourceRef {
  const slash = spec.owner.indexOf('/');
  return { apiVersion: null, kind: spec.owner.slice(0, slash), namespace: event.namespace || null, name: spec.owner.slice(slash + 1) || null };
}

/** The event's object as a finding resource (kind from the resource name where it is a built-in one; the subresource stays in audit.objectRef). */
export function resourceOf(event: AuditEvent): ResourceRef | null {
  const ref = event.objectRef;
  if (!ref) return null;
  const apiVersion = ref.apiVersion ? (ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion}` : ref.apiVersion) : null;
  const kind = KINDS[ref.resource] ?? (ref.resource || null);
  return { apiVersion, kind, namespace: ref.namespace || null, name: ref.name || null };
}

const KINDS: Record<string, string> = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  replicationcontrollers: 'ReplicationController',
  services: 'Service',
  nodes: 'Node',
  namespaces: 'Namespace',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  serviceaccounts: 'ServiceAccount',
  roles: 'Role',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding',
  ingresses: 'Ingress',
  events: 'Event',
  certificatesigningrequests: 'CertificateSigningRequest',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  validatingadmissionpolicies: 'ValidatingAdmissionPolicy',
  validatingadmissionpolicybindings: 'ValidatingAdmissionPolicyBinding',
};

/** Who did it, in messages: the username, or "anonymous", plus the impersonator note when present. */
export function actorLabel(event: AuditEvent): string {
  const name = event.user.username || '(unknown user)';
  return event.impersonatedUser ? `${name} (impersonating ${event.impersonatedUser.username || '?'})` : name;
}

/** `namespace/name` or `name` of the target. */
export function targetLabel(event: AuditEvent, name = event.name): string {
  const ns = event.namespace;
  return ns ? `${ns}/${name || '*'}` : name || '*';
}

/** Re-exports, so a detection imports its vocabulary from one place. */
export { isNodeIdentity, isAnonymous, serviceAccountOf, BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS } from './identity.ts';
export { isPrivateIP, isPublicIP, isLoopbackIP, type AuditEvent } from './event.ts';
export type { AuditSettings } from './settings.ts';
export type { PodSpecView, PodContainer } from './pod-spec.ts';
