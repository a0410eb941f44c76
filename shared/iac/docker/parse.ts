// TEMPORARY placeholder: the Dockerfile parser is being written.
import type { SourceError } from '../yaml/parse.ts';
export interface Dockerfile { errors: SourceError[] }
export function parseDockerfile(_text: string): Dockerfile { return { errors: [] }; }
