// Pod-spec extraction of catalog §0.4: the pod spec a request creates or changes, its containers,
// and the workload that owns it (so a Deployment and the pods it spawns group into one finding).
import { posix } from 'node:path';
import type { AuditEvent } from './event.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface PodContainer {
  name: string;
  image: string;
  list: ContainerList;
  /** The container's securityContext ({} when absent). */
  securityContext: Json;
  raw: Json;
}

export interface PodSpecView {
  /** The pod spec object (`requestObject.spec`, or the template's spec). */
  spec: Json;
  containers: PodContainer[];
  /** Kind of the object the request wrote: Pod, Deployment, CronJob, ... */
  objectKind: string;
  /** The top-level workload the pod belongs to, e.g. `Deployment/web` (a pod without owner: `Pod/<name>`). */
  owner: string;
  /** Sorted, de-duplicated images of all containers. */
  images: string[];
  /** Pod-level metadata labels (template labels for workloads). */
  labels: Record<string, string>;
}

/** Workload resources whose request body carries `spec.template.spec`. */
const TEMPLATE_WORKLOADS: Readonly<Record<string, string>> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  replicationcontrollers: 'ReplicationController',
};
const WRITE_VERBS = new Set(['create', 'update', 'patch']);

/** The objectRef resources a pod-spec request can have (a detection's `resources` pre-filter). */
export const POD_SPEC_RESOURCES: readonly string[] = ['pods', 'cronjobs', ...Object.keys(TEMPLATE_WORKLOADS)];

/** hostPath volumes of a pod spec with their normalised paths and the mounts that use them. */
export function hostPathVolumes(view: PodSpecView): { volume: string; path: string; type: string; mounts: { container: string; readOnly: boolean }[] }[] {
  const volumes = Array.isArray(view.spec.volumes) ? view.spec.volumes.filter(isObject) : [];
  const out = [];
  for (const v of volumes) {
    if (!isObject(v.hostPath)) continue;
    const volume = str(v.name);
    const mounts = view.containers.flatMap((c) =>
      (Array.isArray(c.raw.volumeMounts) ? c.raw.volumeMounts.filter(isObject) : [])
        .filter((m) => str(m.name) === volume)
        .map((m) => ({ container: c.name, readOnly: m.readOnly === true })),
    );
    out.push({ volume, path: normaliseHostPath(str(v.hostPath.path)), type: str(v.hostPath.type), mounts });
  }
  return out;
}

/** `/etc/`, `//etc`, `/etc/./x/..` → `/etc`; `/` stays `/`. */
export function normaliseHostPath(p: string): string {
  if (p === '') return p;
  const normal = posix.normalize(p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * What §0.4 says about an event:
 * - `null`: not a pod-spec request (wrong resource, verb or subresource, or a patch that does not touch the template);
 * - `'unavailable'`: it is one, but the body is absent (Metadata level) or a JSON patch, so the spec cannot be evaluated;
 * - the extracted view otherwise.
 */
export function extractPodSpec(event: AuditEvent): PodSpecView | 'unavailable' | null {
  if (event.subresource !== '') return null;
  const resource = event.resource;
  let kind: string;
  if (resource === 'pods') {
    if (event.verb !== 'create') return null;
    kind = 'Pod';
  } else if (resource === 'cronjobs' || resource in TEMPLATE_WORKLOADS) {
    if (!WRITE_VERBS.has(event.verb)) return null;
    kind = resource === 'cronjobs' ? 'CronJob' : TEMPLATE_WORKLOADS[resource];
  } else return null;

  const body = event.writtenObject;
  if (body === null) return 'unavailable';
  const spec = isObject(body.spec) ? body.spec : null;
  let podSpec: Json | null;
  let podMeta: Json | null = null;
  if (kind === 'Pod') {
    podSpec = spec;
    podMeta = isObject(body.metadata) ? body.metadata : null;
  } else {
    const template = kind === 'CronJob' ? path(spec, 'jobTemplate', 'spec', 'template') : path(spec, 'template');
    podSpec = path(template, 'spec');
    podMeta = path(template, 'metadata');
  }
  if (podSpec === null) return kind === 'Pod' || event.verb === 'create' ? 'unavailable' : null;

  const containers: PodContainer[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const items = podSpec[list];
    if (!Array.isArray(items)) continue;
    for (const c of items) {
      if (!isObject(c)) continue;
      containers.push({ name: str(c.name), image: str(c.image), list, securityContext: isObject(c.securityContext) ? c.securityContext : {}, raw: c });
    }
  }
  return {
    spec: podSpec,
    containers,
    objectKind: kind,
    owner: owningWorkload(event, kind, body),
    images: [...new Set(containers.map((c) => c.image))].sort(),
    labels: stringRecord(podMeta?.labels),
  };
}

/**
 * The top-level workload: a ReplicaSet named `<deployment>-<pod-template-hash>` maps to its
 * Deployment, a Job named `<cronjob>-<scheduled minute>` owned by a CronJob to the CronJob.
 */
function owningWorkload(event: AuditEvent, kind: string, body: Json): string {
  const meta = isObject(body.metadata) ? body.metadata : {};
  const name = str(meta.name) || event.name;
  const owners = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isObject) : [];
  const owner = owners.find((o) => o.controller === true) ?? owners[0];
  if (owner && str(owner.kind) && str(owner.name)) return topWorkload(str(owner.kind), str(owner.name), stringRecord(meta.labels));
  if (kind !== 'Pod') return topWorkload(kind, name, stringRecord(path(body.spec as Json, 'template', 'metadata')?.labels));
  const generateName = str(meta.generateName);
  if (name === '' && generateName !== '') return `Pod/${generateName.replace(/-+$/, '')}`;
  return `Pod/${name}`;
}

function topWorkload(kind: string, name: string, labels: Record<string, string>): string {
  if (kind === 'ReplicaSet') {
    const hash = labels['pod-template-hash'];
    const suffix = hash ? `-${hash}` : null;
    if (suffix && name.endsWith(suffix) && name.length > suffix.length) return `Deployment/${name.slice(0, -suffix.length)}`;
  }
  if (kind === 'Job') {
    const scheduled = /^(.+)-\d{8,10}$/.exec(name);
    if (scheduled) return `CronJob/${scheduled[1]}`;
  }
  return `${kind}/${name}`;
}

function path(obj: Json | null, ...keys: string[]): Json | null {
  let cur: unknown = obj;
  for (const k of keys) {
    if (!isObject(cur)) return null;
    cur = cur[k];
  }
  return isObject(cur) ? cur : null;
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}
