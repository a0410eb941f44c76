import type { Severity } from '../../findings/finding.ts';
import { registerRule, type RuleMeta } from '../../rules/registry.ts';
import type { Dockerfile } from './parse.ts';

export interface DockerHit {
  /** 1-based line of the offending instruction. */
  line: number;
  message: string;
  severity?: Severity;
  /** What makes this hit distinct inside the file (e.g. "stage:builder FROM"), for a stable fingerprint. */
  field: string;
}

export interface DockerSettings {
  trustedRegistries: string[];
}

export interface DockerContext {
  dockerfile: Dockerfile;
  settings: DockerSettings;
}

export interface DockerRule extends RuleMeta {
  engine: 'docker';
  check(ctx: DockerContext): Iterable<DockerHit>;
}

export function dockerRule(def: Omit<RuleMeta, 'engine'> & { check(ctx: DockerContext): Iterable<DockerHit> }): DockerRule {
  return registerRule({ ...def, engine: 'docker' as const });
}
