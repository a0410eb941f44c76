import {
  celEnv,
  celError,
  celMethod,
  celType,
  CelScalar,
  isCelError,
  listType,
  parse,
  plan,
  type CelError,
  type CelInput,
  type CelList,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/** A CEL expression that parsed, passed our reference checks and is ready to run. */
export interface CelProgram {
  readonly source: string;
  /** Top-level names the expression reads (`object`, `request`, `variables.<name>`, `authorizer`, ...). */
  readonly references: ReadonlySet<string>;
  /** The field path under `object` that all of the expression's `object.…` reads share: where a violation points. */
  readonly objectPath: readonly string[];
  /** Never throws: a runtime problem comes back as a CelError. */
  evaluate(bindings: Readonly<Record<string, unknown>>): CelValue | CelError;
}

/** What an expression may read. */
export interface CelScope {
  /** Plain variables: `object`, `request`, ... */
  names: readonly string[];
  /** Names readable as `variables.<name>`; absent when the expression has no `variables` at all. */
  variables?: readonly string[];
}

export class CelCompileError extends Error {}

const { BOOL, DYN, INT } = CelScalar;
const LIST = listType(DYN);

type Scalar = bigint | number | string | boolean;
const isNumeric = (v: unknown): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';

/** The items of a list that min/max/isSorted can order: all numbers, all strings or all bools. */
function comparable(list: CelList): Scalar[] {
  const items = [...list];
  const family = (v: CelValue) => (isNumeric(v) ? 'number' : typeof v);
  for (const item of items) {
    if (!['bigint', 'number', 'string', 'boolean'].includes(typeof item)) throw new Error(`cannot order values of type ${celType(item).name}`);
    if (family(item) !== family(items[0])) throw new Error(`cannot order ${celType(items[0]).name} and ${celType(item).name}`);
  }
  return items as Scalar[];
}

const sameScalar = (a: unknown, b: unknown) => (isNumeric(a) && isNumeric(b) ? a == b : a === b);

/** The list functions of the Kubernetes CEL library that @bufbuild/cel does not ship (elements compared as scalars). */
const kubernetesListFunctions = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const items = comparable(this);
    return items.every((item, i) => i === 0 || items[i - 1] <= item);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    const items = [...this];
    if (items.every((i) => typeof i === 'bigint')) return items.reduce((a, b) => a + b, 0n);
    if (items.every((i) => typeof i === 'number')) return items.reduce((a, b) => a + b, 0);
    throw new Error('sum() needs a list of ints or a list of doubles');
  }),
  celMethod('min', LIST, [], DYN, function () {
    const items = comparable(this);
    if (items.length === 0) throw new Error('min() of an empty list');
    return items.reduce((a, b) => (b < a ? b : a));
  }),
  celMethod('max', LIST, [], DYN, function () {
    const items = comparable(this);
    if (items.length === 0) throw new Error('max() of an empty list');
    return items.reduce((a, b) => (b > a ? b : a));
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (wanted) {
    return BigInt([...this].findIndex((item) => sameScalar(item, wanted)));
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (wanted) {
    const items = [...this];
    let i = items.length - 1;
    while (i >= 0 && !sameScalar(items[i], wanted)) i--;
    return BigInt(i);
  }),
];

const env = celEnv({ funcs: [...strings, ...kubernetesListFunctions] });

/** Calls the planner handles itself rather than through a registered function. */
const BUILT_IN_CALLS = new Set(['_[_]', '_[?_]', '_?._', '_?_:_', '_&&_', '_||_', '@not_strictly_false', '__not_strictly_false__']);
/** Methods of the Kubernetes authorizer library: offline they cannot run, a call counts as a read of `authorizer`. */
const AUTHORIZER_METHODS = new Set(['path', 'group', 'serviceAccount', 'resource', 'subresource', 'namespace', 'name', 'check', 'allowed', 'reason', 'errored', 'error']);
/** Type names an expression may use as values (`type(x) == string`). */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

type Expr = ReturnType<typeof parse>['expr'];

/**
 * Parses and checks an expression: syntax, every function known, every name declared.
 * The library has no public type checker, so unknown names and functions are found here
 * rather than on every object at scan time.
 */
export function compileCel(source: string, scope: CelScope): CelProgram {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (e) {
    const message = (e as Error).message;
    const at = /^<input>:(\d+):(\d+): /.exec(message);
    throw new CelCompileError(at ? `syntax error at line ${at[1]}, column ${at[2]}: ${message.slice(at[0].length)}` : `syntax error: ${message}`);
  }
  const references = new Set<string>();
  const objectPaths: string[][] = [];
  const declared = new Set(scope.names);
  const variables = scope.variables ? new Set(scope.variables) : null;

  const readRoot = (name: string, field: string | undefined, local: ReadonlySet<string>) => {
    if (local.has(name)) return;
    if (name === 'variables' && variables) {
      if (field === undefined) throw new CelCompileError('variables can only be read as variables.<name>');
      if (!variables.has(field)) {
        const known = [...variables].join(', ') || 'none';
        throw new CelCompileError(`variables.${field} is not declared before this expression (declared: ${known})`);
      }
      references.add(`variables.${field}`);
      return;
    }
    if (declared.has(name)) references.add(name);
    else if (!TYPE_NAMES.has(name)) throw new CelCompileError(`undeclared reference to '${name}'`);
  };

  const visit = (expr: Expr | undefined, local: ReadonlySet<string>): void => {
    if (!expr) return;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'identExpr':
        readRoot(kind.value.name, undefined, local);
        if (kind.value.name === 'object' && !local.has('object')) objectPaths.push([]); // the whole object
        return;
      case 'selectExpr': {
        const fields: string[] = [];
        let operand: Expr | undefined = expr;
        while (operand?.exprKind.case === 'selectExpr') {
          fields.unshift(operand.exprKind.value.field);
          operand = operand.exprKind.value.operand;
        }
        if (operand?.exprKind.case === 'identExpr') {
          const root = operand.exprKind.value.name;
          readRoot(root, fields[0], local);
          if (root === 'object' && !local.has(root)) objectPaths.push(fields);
        } else {
          visit(operand, local);
        }
        return;
      }
      case 'callExpr': {
        // Operands first, so the innermost unknown function is the one reported.
        visit(kind.value.target, local);
        for (const arg of kind.value.args) visit(arg, local);
        const name = kind.value.function;
        if (AUTHORIZER_METHODS.has(name) && kind.value.target) references.add('authorizer');
        else if (!BUILT_IN_CALLS.has(name) && env.funcs.find(name) === undefined) throw new CelCompileError(`unknown function '${name}'`);
        return;
      }
      case 'listExpr':
        for (const element of kind.value.elements) visit(element, local);
        return;
      case 'structExpr':
        if (kind.value.messageName) throw new CelCompileError(`message construction (${kind.value.messageName}{...}) is not supported`);
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, local);
          visit(entry.value, local);
        }
        return;
      case 'comprehensionExpr': {
        const c = kind.value;
        visit(c.iterRange, local);
        visit(c.accuInit, local);
        const loop = new Set([...local, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
        visit(c.loopCondition, loop);
        visit(c.loopStep, loop);
        visit(c.result, new Set([...local, c.accuVar]));
        return;
      }
      default:
        return;
    }
  };
  visit(parsed.expr, new Set());

  let run: (bindings: Record<string, unknown>) => CelValue | CelError;
  try {
    const planned = plan(env, parsed);
    run = (bindings) => planned(bindings as Record<string, CelInput>);
  } catch (e) {
    throw new CelCompileError((e as Error).message);
  }
  return {
    source,
    references,
    objectPath: commonPrefix(objectPaths),
    evaluate(bindings) {
      try {
        return run(bindings);
      } catch (e) {
        // The library reports errors as values; a throw here is a library bug, still one object's problem.
        return celError(e);
      }
    },
  };
}

function commonPrefix(paths: string[][]): string[] {
  if (paths.length === 0) return [];
  const [first, ...rest] = paths;
  let length = first.length;
  for (const path of rest) {
    let i = 0;
    while (i < length && i < path.length && path[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

/**
 * YAML value to CEL input, as the API server would see it: whole numbers are int (Kubernetes decodes
 * JSON integers as int64), other numbers double, timestamps the strings they were written as.
 */
export function celInput(value: unknown): CelInput {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return value;
  if (value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map(celInput);
  if (typeof value === 'object') {
    const out: Record<string, CelInput> = {};
    for (const [key, item] of Object.entries(value)) out[key] = celInput(item);
    return out;
  }
  return String(value);
}

/** A rule's result as a verdict: true or false, or why there is none (an evaluation error, a value that is not a bool). */
export function verdictOf(result: CelValue | CelError): boolean | string {
  if (isCelError(result)) return result.message;
  if (typeof result === 'boolean') return result;
  return `returned ${celType(result).name}, expected bool`;
}

/**
 * The message of a failed rule: its messageExpression when that yields a usable string, else the fallback.
 * As in the API server, an error, a blank result or one with line breaks falls back.
 */
export function messageOf(program: CelProgram | undefined, bindings: Readonly<Record<string, unknown>>, fallback: string): string {
  if (!program) return fallback;
  const value = program.evaluate(bindings);
  return typeof value === 'string' && value.trim() !== '' && !/[\r\n]/.test(value) ? value : fallback;
}
