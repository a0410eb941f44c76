import { asArray, asMap, asString, isMap, type JsonMap, type Manifest } from './manifest.ts';
import type { Path } from '../yaml/positions.ts';

/** Where the pod spec lives for each pod-bearing kind (catalog §0). */
const POD_SPEC_PATHS: Record<string, Path> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Pod-template custom resources recognised by kind and API group. */
const POD_TEMPLATE_CRDS: Record<string, string> = { Rollout: 'argoproj.io/', DeploymentConfig: 'apps.openshift.io/' };

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);

/** The pod template of a workload: spec and metadata with their paths inside the object. */
export interface PodTemplate {
  spec: JsonMap;
  specPath: Path;
  meta: JsonMap;
  metaPath: Path;
  /** `spec.os.name: windows`: Linux-only rules are not evaluated. */
  windows: boolean;
}

function templateBase(m: Manifest): Path | undefined {
  if (m.kind in POD_SPEC_PATHS) return POD_SPEC_PATHS[m.kind];
  const group = POD_TEMPLATE_CRDS[m.kind];
  if (group && m.apiVersion.startsWith(group)) return ['spec', 'template'];
  return undefined;
}

export function isWorkload(m: Manifest): boolean {
  return templateBase(m) !== undefined;
}

/**
 * The pod template of a workload; undefined for kinds that carry none;
 * 'invalid' when a workload's pod spec is missing or not a map (reported once as a parse problem).
 */
export function podTemplateOf(m: Manifest): PodTemplate | 'invalid' | undefined {
  // Every pod rule asks for the same manifest's template: compute it once per manifest.
  if (templates.has(m)) return templates.get(m);
  const template = readPodTemplate(m);
  templates.set(m, template);
  return template;
}

const templates = new WeakMap<Manifest, PodTemplate | 'invalid' | undefined>();

function readPodTemplate(m: Manifest): PodTemplate | 'invalid' | undefined {
  const base = templateBase(m);
  if (!base) return undefined;
  let holder: unknown = m.object;
  for (const k of base) holder = asMap(holder)?.[k as string];
  const spec = asMap(asMap(holder)?.spec);
  if (!spec) return 'invalid';
  const meta = asMap(asMap(holder)?.metadata) ?? {};
  const os = asString(asMap(spec.os)?.name);
  return { spec, specPath: [...base, 'spec'], meta, metaPath: [...base, 'metadata'], windows: os === 'windows' };
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';
export const ALL_CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];
/** Ephemeral containers cannot set resources (catalog §0). */
export const RESOURCE_CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers'];

/** A field value and the path where it is written. */
export interface Field<T = unknown> {
  value: T;
  path: Path;
}

/** Security-context fields that fall back to the pod-level value when the container does not set them. */
export type InheritedField =
  | 'runAsUser'
  | 'runAsGroup'
  | 'runAsNonRoot'
  | 'seLinuxOptions'
  | 'seccompProfile'
  | 'appArmorProfile'
  | 'windowsOptions';
/** Fields that exist only on the container's security context. */
export type ContainerOnlyField = 'privileged' | 'allowPrivilegeEscalation' | 'capabilities' | 'readOnlyRootFilesystem' | 'procMount';

export interface ContainerRef {
  name: string;
  list: ContainerList;
  index: number;
  /** Path of the container inside the object. */
  path: Path;
  container: JsonMap;
  image: string | undefined;
  /** The effective value of an inherited security-context field: container wins, else pod. */
  effective(field: InheritedField): Field | undefined;
  /** A container-only security-context field, when set. */
  own(field: ContainerOnlyField): Field | undefined;
}

/** Every container of the pod template, in the lists asked for, each with its effective security context. */
export function containersOf(pod: PodTemplate, lists: readonly ContainerList[] = ALL_CONTAINER_LISTS): readonly ContainerRef[] {
  let refs = containerRefs.get(pod);
  if (!refs) containerRefs.set(pod, (refs = readContainers(pod)));
  return lists === ALL_CONTAINER_LISTS ? refs : refs.filter((c) => lists.includes(c.list));
}

const containerRefs = new WeakMap<PodTemplate, ContainerRef[]>();

function readContainers(pod: PodTemplate): ContainerRef[] {
  const podCtx = asMap(pod.spec.securityContext);
  const podCtxPath = [...pod.specPath, 'securityContext'];
  const refs: ContainerRef[] = [];
  for (const list of ALL_CONTAINER_LISTS) {
    const entries = asArray(pod.spec[list]);
    for (let index = 0; index < entries.length; index++) {
      const container = entries[index];
      if (isMap(container)) refs.push(new Container(list, index, [...pod.specPath, list, index], container, podCtx, podCtxPath));
    }
  }
  return refs;
}

class Container implements ContainerRef {
  readonly name: string;
  readonly image: string | undefined;
  private readonly ctx: JsonMap | undefined;

  constructor(
    readonly list: ContainerList,
    readonly index: number,
    readonly path: Path,
    readonly container: JsonMap,
    private readonly podCtx: JsonMap | undefined,
    private readonly podCtxPath: Path,
  ) {
    this.name = asString(container.name) ?? `${list}[${index}]`;
    this.image = asString(container.image);
    this.ctx = asMap(container.securityContext);
  }

  effective(field: InheritedField): Field | undefined {
    return this.own(field) ?? (this.podCtx && this.podCtx[field] !== undefined && this.podCtx[field] !== null ? { value: this.podCtx[field], path: [...this.podCtxPath, field] } : undefined);
  }

  own(field: InheritedField | ContainerOnlyField): Field | undefined {
    const v = this.ctx?.[field];
    return v === undefined || v === null ? undefined : { value: v, path: [...this.path, 'securityContext', field] };
  }
}

/** Pod-level security context field (fsGroup, supplementalGroups, sysctls, ...). */
export function podSecurityField(pod: PodTemplate, field: string): Field | undefined {
  const v = asMap(pod.spec.securityContext)?.[field];
  return v === undefined || v === null ? undefined : { value: v, path: [...pod.specPath, 'securityContext', field] };
}

/** Capability names compare case-insensitively with an optional CAP_ prefix (catalog §0). */
export function normalizeCapability(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const upper = v.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}
