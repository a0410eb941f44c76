import type { z } from 'zod';
import type { Path } from '../iac/yaml/positions.ts';
import { CelCompileError, compileCel, type CelProgram, type CelScope } from './cel.ts';
import { PolicyError } from './policy.ts';

/** One YAML document of a policy file; every problem found in it names the file, the line and the key. */
export interface PolicyDocument {
  file: string;
  value: unknown;
  /** Line of a key path inside the document (its nearest existing parent when absent). */
  lineOf(path: Path): number;
}

/** `spec.validations[0].expression` */
export function keyOf(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

export function problemAt(doc: PolicyDocument, path: Path, problem: string): PolicyError {
  return new PolicyError(doc.file, doc.lineOf(path), `${keyOf(path)}: ${problem}`);
}

/** Validates a document against its schema; the error lists every problem with its key. */
export function parseAs<S extends z.ZodType>(schema: S, doc: PolicyDocument): z.output<S> {
  const result = schema.safeParse(doc.value);
  if (result.success) return result.data;
  const pathOf = (issue: (typeof result.error.issues)[number]): Path => issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const problems = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${keyOf([...pathOf(issue), k])}"`).join(', ')}`
      : `${keyOf(pathOf(issue))}: ${issue.message}`,
  );
  throw new PolicyError(doc.file, doc.lineOf(pathOf(result.error.issues[0])), problems.join('; '));
}

/** Compiles the expression found at `path`; one that does not compile stops the load, naming file, key and expression. */
export function compileAt(doc: PolicyDocument, path: Path, expression: string, scope: CelScope): CelProgram {
  try {
    return compileCel(expression, scope);
  } catch (e) {
    if (!(e instanceof CelCompileError)) throw e;
    throw problemAt(doc, path, `expression ${JSON.stringify(expression)} does not compile: ${e.message}`);
  }
}
