import { basename } from 'node:path';

/** A file handed to the engine: its path relative to the scan root and its text (or why it could not be read). */
export interface SourceFile {
  path: string;
  text?: string;
  /** Set when the file could not be read (too large, binary, invalid UTF-8, permission). */
  readError?: string;
  /** Read from stdin: manifests only, and problems are always reported. */
  stdin?: boolean;
}

export type FileKind = 'yaml' | 'json' | 'dockerfile' | 'terraform' | 'text';

const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:Dockerfile|Containerfile)$/i;
/** `Dockerfile.dockerignore`, `Dockerfile.md`: files about a Dockerfile, not Dockerfiles. */
const NOT_DOCKERFILE = /\.(?:dockerignore|md|txt|rst|adoc|orig|bak|swp)$/i;

export function classify(path: string): FileKind {
  const name = basename(path);
  if (DOCKERFILE.test(name) && !NOT_DOCKERFILE.test(name)) return 'dockerfile';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(?:tf|tfvars)$/i.test(name)) return 'terraform';
  return 'text';
}

/** Files the IaC engines parse (everything else only goes through the secret scanner). */
export function isManifestOrDockerfile(path: string): boolean {
  return classify(path) !== 'text';
}
