// A set of Terraform files as Terraform sees them: one module per folder, modules calling local
// modules, variables with their values per module instance (tfvars and defaults at the root, call
// arguments below), locals and the data sources the scan can compute.
import { posix } from 'node:path';
import { UNKNOWN } from '../model.ts';
import { evaluateJson, JsonText, type EvalScope, type HclValue } from './expression.ts';
import type { HclBlockIndex } from './locate.ts';

export interface TerraformFile {
  path: string;
  folder: string;
  /** hcl2json's JSON for the file. */
  json: Record<string, unknown>;
  index: HclBlockIndex;
  /** Findings are reported for it (false: read for context only, e.g. unchanged files of a PR). */
  report: boolean;
}

/** `variable`/`locals` values and tfvars files hold no references: evaluated with nothing in scope. */
const EMPTY_SCOPE: EvalScope = { variable: () => UNKNOWN, local: () => UNKNOWN, data: () => UNKNOWN };

/** Module instances evaluated per module folder: enough for a module used by a few environments. */
const MAX_INSTANCES = 8;
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** One instance of a module: where its variables come from, and the root configuration it belongs to. */
export interface ModuleInstance {
  folder: string;
  /** The root module (a folder no scanned module calls) of this instance's configuration. */
  root: string;
  scope: EvalScope;
}

interface ModuleCall {
  caller: TerraformFile;
  args: Record<string, unknown>;
}

interface Variable {
  hasDefault: boolean;
  default: unknown;
}

const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Blocks with two labels (`resource "type" "name"`, `data "type" "name"`): [type, name, body]. */
export function labelledBlocks(json: Record<string, unknown>, kind: 'resource' | 'data'): [string, string, Record<string, unknown>][] {
  const out: [string, string, Record<string, unknown>][] = [];
  for (const [type, byName] of Object.entries(asRecord(json[kind]))) {
    for (const [name, bodies] of Object.entries(asRecord(byName))) {
      for (const body of asList(bodies)) out.push([type, name, asRecord(body)]);
    }
  }
  return out;
}

export class TerraformProject {
  readonly folders = new Map<string, TerraformFile[]>();
  private readonly variables = new Map<string, Map<string, Variable>>();
  private readonly locals = new Map<string, Map<string, unknown>>();
  private readonly callsTo = new Map<string, ModuleCall[]>();
  private readonly instanceCache = new Map<string, ModuleInstance[]>();

  /** `tfvars`: folder -> values of `terraform.tfvars` and `*.auto.tfvars` there (later files win). */
  constructor(
    files: readonly TerraformFile[],
    private readonly tfvars: ReadonlyMap<string, Record<string, unknown>>,
  ) {
    for (const file of files) {
      const list = this.folders.get(file.folder) ?? [];
      list.push(file);
      this.folders.set(file.folder, list);
      const variables = this.variables.get(file.folder) ?? new Map<string, Variable>();
      for (const [name, bodies] of Object.entries(asRecord(file.json.variable))) {
        const body = asRecord(asList(bodies)[0]);
        variables.set(name, { hasDefault: Object.hasOwn(body, 'default'), default: body.default });
      }
      this.variables.set(file.folder, variables);
      const locals = this.locals.get(file.folder) ?? new Map<string, unknown>();
      for (const block of asList(file.json.locals)) for (const [name, raw] of Object.entries(asRecord(block))) locals.set(name, raw);
      this.locals.set(file.folder, locals);
    }
    for (const file of files) {
      for (const [, bodies] of Object.entries(asRecord(file.json.module))) {
        for (const body of asList(bodies).map(asRecord)) {
          const target = localModuleFolder(file.folder, body.source);
          if (target === null || !this.folders.has(target)) continue;
          const calls = this.callsTo.get(target) ?? [];
          calls.push({ caller: file, args: body });
          this.callsTo.set(target, calls);
        }
      }
    }
  }

  /**
   * The instances of a module folder: one per call from a scanned module (the call's arguments
   * give the variables), or, for a root module, one with tfvars over defaults.
   */
  instances(folder: string, stack: readonly string[] = []): ModuleInstance[] {
    const cached = this.instanceCache.get(folder);
    if (cached) return cached;
    const calls = this.callsTo.get(folder) ?? [];
    const out: ModuleInstance[] = [];
    for (const call of calls) {
      const callerFolder = call.caller.folder;
      if (callerFolder === folder || stack.includes(callerFolder)) continue;
      for (const parent of this.instances(callerFolder, [...stack, folder])) {
        if (out.length >= MAX_INSTANCES) break;
        if (evaluateJson(call.args.count, parent.scope) === 0) continue;
        out.push({ folder, root: parent.root, scope: this.scopeFor(folder, (name) => (Object.hasOwn(call.args, name) && !MODULE_META_ARGUMENTS.has(name) ? evaluateJson(call.args[name], parent.scope) : undefined)) });
      }
    }
    if (out.length === 0) {
      // A root module; or a module whose only callers form a cycle, whose inputs nobody can know.
      const values = calls.length > 0 ? null : (this.tfvars.get(folder) ?? {});
      out.push({ folder, root: folder, scope: this.scopeFor(folder, (name) => (values === null ? UNKNOWN : Object.hasOwn(values, name) ? evaluateJson(values[name], EMPTY_SCOPE) : undefined)) });
    }
    this.instanceCache.set(folder, out);
    return out;
  }

  private scopeFor(folder: string, input: (name: string) => HclValue | undefined): EvalScope {
    const variables = this.variables.get(folder) ?? new Map<string, Variable>();
    const locals = this.locals.get(folder) ?? new Map<string, unknown>();
    const varValues = new Map<string, HclValue>();
    const localValues = new Map<string, HclValue>();
    const evaluating = new Set<string>();
    const dataValues = new Map<string, HclValue>();
    const scope: EvalScope = {
      variable(name) {
        if (varValues.has(name)) return varValues.get(name)!;
        const declared = variables.get(name);
        let value: HclValue = UNKNOWN;
        if (declared) {
          const given = input(name);
          value = given !== undefined ? given : declared.hasDefault ? evaluateJson(declared.default, EMPTY_SCOPE) : UNKNOWN;
        }
        varValues.set(name, value);
        return value;
      },
      local(name) {
        if (localValues.has(name)) return localValues.get(name)!;
        if (!locals.has(name) || evaluating.has(name)) return UNKNOWN;
        evaluating.add(name);
        const value = evaluateJson(locals.get(name), scope);
        evaluating.delete(name);
        localValues.set(name, value);
        return value;
      },
      data: (type, name) => {
        const key = `${type}.${name}`;
        if (!dataValues.has(key)) dataValues.set(key, this.dataSource(folder, type, name, scope));
        return dataValues.get(key)!;
      },
    };
    return scope;
  }

  /** `aws_iam_policy_document` is computed from its blocks; other data sources are read at plan time. */
  private dataSource(folder: string, type: string, name: string, scope: EvalScope): HclValue {
    if (type !== 'aws_iam_policy_document') return UNKNOWN;
    for (const file of this.folders.get(folder) ?? []) {
      const found = labelledBlocks(file.json, 'data').find(([t, n]) => t === type && n === name);
      if (found) return { json: policyDocumentFromBlocks(found[2], scope) };
    }
    return UNKNOWN;
  }
}

/** The folder a `source = "./..."` names, relative to the calling module; null for registry, git and other remote sources. */
function localModuleFolder(callerFolder: string, source: unknown): string | null {
  if (typeof source !== 'string' || !/^\.\.?\//.test(source)) return null;
  const folder = posix.normalize(posix.join(callerFolder, source)).replace(/\/+$/, '');
  return folder === '' ? '.' : folder;
}

/** The JSON policy an `aws_iam_policy_document` renders, as a value (parts may be UNKNOWN). */
function policyDocumentFromBlocks(body: Record<string, unknown>, scope: EvalScope): HclValue {
  if (body.source_policy_documents !== undefined || body.override_policy_documents !== undefined || asRecord(body.dynamic).statement !== undefined) return new JsonText(UNKNOWN);
  const statements = asList(body.statement).map((raw): HclValue => {
    const s = asRecord(raw);
    if (asRecord(s.dynamic).principals !== undefined || asRecord(s.dynamic).condition !== undefined) return UNKNOWN;
    const statement: Record<string, HclValue> = { Effect: s.effect === undefined ? 'Allow' : evaluateJson(s.effect, scope) };
    if (s.sid !== undefined) statement.Sid = evaluateJson(s.sid, scope);
    if (s.actions !== undefined) statement.Action = evaluateJson(s.actions, scope);
    const principals = asList(s.principals).map(asRecord);
    if (principals.length > 0) {
      const byType: Record<string, HclValue> = {};
      for (const p of principals) {
        const type = evaluateJson(p.type, scope);
        if (typeof type !== 'string') return UNKNOWN;
        byType[type] = evaluateJson(p.identifiers, scope);
      }
      const star = byType['*'];
      statement.Principal = star !== undefined ? '*' : byType;
    }
    const conditions = asList(s.condition).map(asRecord);
    if (conditions.length > 0) {
      const block: Record<string, Record<string, HclValue>> = {};
      for (const c of conditions) {
        const test = evaluateJson(c.test, scope);
        const variable = evaluateJson(c.variable, scope);
        if (typeof test !== 'string' || typeof variable !== 'string') return { ...statement, Condition: UNKNOWN };
        (block[test] ??= {})[variable] = evaluateJson(c.values, scope);
      }
      statement.Condition = block;
    }
    return statement;
  });
  return new JsonText({ Version: '2012-10-17', Statement: statements });
}
