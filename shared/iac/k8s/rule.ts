import type { z } from 'zod';
import type { Severity } from '../../findings/finding.ts';
import { registerRule, type RuleMeta } from '../../rules/registry.ts';
import type { Path } from '../yaml/positions.ts';
import type { Manifest } from './manifest.ts';
import {
  ALL_CONTAINER_LISTS,
  containersOf,
  podTemplateOf,
  type ContainerList,
  type ContainerRef,
  type PodTemplate,
} from './workload.ts';

/** What a rule reports: the offending field and why. The engine turns hits into findings. */
export interface K8sHit {
  /** Path of the offending field inside the object (its line is reported; a missing field resolves to its parent). */
  path: Path;
  message: string;
  container?: ContainerRef;
  /** Overrides the rule's severity for this hit, where the catalog says so. */
  severity?: Severity;
}

/** Repository settings the K8S rules read (from `.shipwatch.yaml`). */
export interface K8sSettings {
  trustedRegistries: string[];
  kubernetesVersion: string | null;
}

export interface K8sContext<O = unknown> {
  manifest: Manifest;
  /** Every object of the scan, plus context objects of a PR scan (unchanged files), for cross-object rules. */
  all: readonly Manifest[];
  /** The objects of `all` with this kind (indexed once per scan: cross-object rules must not walk `all` per object). */
  ofKind(kind: string): readonly Manifest[];
  settings: K8sSettings;
  /** This rule's options (`ruleOptions.<id>` in `.shipwatch.yaml`), defaults applied. */
  options: O;
}

export interface K8sRule<O = unknown> extends RuleMeta {
  engine: 'k8s';
  /** A cheap pre-check the engine runs before `check` (pod rules: the object carries a pod template). */
  appliesTo?(manifest: Manifest): boolean;
  /** Validates and defaults `ruleOptions.<id>`. */
  optionsSchema?: z.ZodType<O>;
  check(ctx: K8sContext<O>): Iterable<K8sHit>;
}

type Meta = Omit<RuleMeta, 'engine'>;

/** A rule over whole objects (RBAC, Services, Namespaces, cross-object checks). */
export function k8sRule<O = unknown>(def: Meta & { optionsSchema?: z.ZodType<O>; appliesTo?(manifest: Manifest): boolean; check(ctx: K8sContext<O>): Iterable<K8sHit> }): K8sRule<O> {
  return registerRule({ ...def, engine: 'k8s' as const });
}

interface PodScope {
  /** Linux-only rules are not evaluated for Windows pods (catalog §0). */
  linuxOnly?: boolean;
  /** Restrict to these workload kinds (default: every pod-bearing kind). */
  kinds?: readonly string[];
}

/** A rule over the pod template of every workload kind. */
export function podRule<O = unknown>(
  def: Meta &
    PodScope & {
      optionsSchema?: z.ZodType<O>;
      check(pod: PodTemplate, ctx: K8sContext<O>): Iterable<K8sHit> | K8sHit | undefined | null;
    },
): K8sRule<O> {
  const { check, linuxOnly, kinds, ...meta } = def;
  return k8sRule<O>({
    ...meta,
    appliesTo: (m) => applicablePod(m, linuxOnly, kinds) !== undefined,
    *check(ctx) {
      const pod = applicablePod(ctx.manifest, linuxOnly, kinds);
      if (!pod) return;
      const result = check(pod, ctx);
      if (!result) return;
      if (isHit(result)) yield result;
      else yield* result;
    },
  });
}

/** A rule over every container (containers, initContainers, ephemeralContainers) of every workload kind. */
export function containerRule<O = unknown>(
  def: Meta &
    PodScope & {
      optionsSchema?: z.ZodType<O>;
      /** Which container lists the rule covers (default: all three). */
      lists?: readonly ContainerList[];
      /** Returns a hit for an offending container; path defaults to the container. */
      check(c: ContainerRef, pod: PodTemplate, ctx: K8sContext<O>): Omit<K8sHit, 'container'> | undefined | null | false;
    },
): K8sRule<O> {
  const { check, linuxOnly, kinds, lists = ALL_CONTAINER_LISTS, ...meta } = def;
  return k8sRule<O>({
    ...meta,
    appliesTo: (m) => applicablePod(m, linuxOnly, kinds) !== undefined,
    *check(ctx) {
      const pod = applicablePod(ctx.manifest, linuxOnly, kinds);
      if (!pod) return;
      for (const c of containersOf(pod, lists)) {
        const hit = check(c, pod, ctx);
        if (hit) yield { ...hit, container: c };
      }
    },
  });
}

function applicablePod(m: Manifest, linuxOnly?: boolean, kinds?: readonly string[]): PodTemplate | undefined {
  if (kinds && !kinds.includes(m.kind)) return undefined;
  const pod = podTemplateOf(m);
  if (!pod || pod === 'invalid') return undefined;
  if (linuxOnly && pod.windows) return undefined;
  return pod;
}

function isHit(v: unknown): v is K8sHit {
  return typeof v === 'object' && v !== null && 'path' in v && 'message' in v;
}

/** "in containers[1] 'sidecar'": names the list so a reviewer sees exactly which container. */
export function describeContainer(c: ContainerRef): string {
  return `${c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
}
