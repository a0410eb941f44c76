/**
 * Dockerfile parser: parser directives, comments, line continuations, here-documents, exec and shell
 * form, flags, multi-stage builds and ARG/ENV substitution (catalog iac.md §12). Build-correctness
 * problems are reported in `errors`, as the engine reports parse problems.
 */
import type { SourceError } from '../yaml/parse.ts';
import { dockerWord, dockerWords, firstDockerWord, Variables, type Scope, type Word } from './words.ts';
import { parsePorts } from './instructions.ts';

export interface Flag {
  /** Lower-case, without the dashes: `--platform=linux/amd64` → `platform`. */
  name: string;
  /** Quotes removed, variables as written; null for a bare `--link`. */
  value: string | null;
}

export interface Heredoc {
  delimiter: string;
  /** The body lines joined with `\n` (leading tabs removed for `<<-`). */
  body: string;
  /** 1-based line of the body's first line. */
  line: number;
  /** `<<"EOF"` / `<<'EOF'`: the body is not expanded. */
  quoted: boolean;
}

/** An ENV or ARG declaration. */
export interface Declaration {
  name: string;
  /** As written, quotes removed, variables not substituted; null for an ARG without a default. */
  value: string | null;
  /** After substitution; null when not known statically. */
  resolved: string | null;
}

export interface Instruction {
  /** Upper-case: FROM, RUN, COPY, ... */
  keyword: string;
  /** 1-based line where the instruction starts, and where it ends (continuations and here-documents included). */
  line: number;
  endLine: number;
  /** Flags before the arguments (FROM, RUN, COPY, ADD, HEALTHCHECK). */
  flags: Flag[];
  /** The arguments after the flags, continuation lines joined as Docker joins them. */
  args: string;
  /** Exec form: the arguments are a JSON array of strings. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** The arguments as Dockerfile words, variables substituted (exec form: the array's strings). */
  words: Word[];
  /** ENV and ARG declarations (empty for other instructions). */
  declarations: Declaration[];
  /** Index into `stages`; -1 for the global ARGs before the first FROM. */
  stage: number;
  /** Variables (ARG and ENV) visible when the instruction runs. */
  scope: Scope;
}

export type BaseKind = 'image' | 'stage' | 'scratch' | 'unknown';

export interface Stage {
  index: number;
  /** `FROM image AS name`, lower-cased (stage names are case-insensitive); null when unnamed. */
  name: string | null;
  from: Instruction;
  /** The base as written. */
  baseText: string;
  /** The base after global-ARG substitution; null when a variable cannot be resolved. */
  base: string | null;
  /** `image`: an external image; `stage`: an earlier stage; `unknown`: unresolvable variables. */
  baseKind: BaseKind;
  /** The earlier stage this one builds on, when `baseKind` is `stage`. */
  baseStage: number | null;
  /** The instructions after FROM. */
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Parser directives (`syntax`, `escape`, `check`), lower-case names. */
  directives: Record<string, string>;
  /** The escape character: `\` unless `# escape=\``. */
  escape: string;
  /** Every instruction in file order. */
  instructions: Instruction[];
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  errors: SourceError[];
}

const INSTRUCTIONS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER',
  'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);
const WITH_FLAGS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const WITH_HEREDOCS = new Set(['RUN', 'COPY', 'ADD']);
/** Instructions of which a stage keeps only the last. */
const SINGLE_PER_STAGE = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];
const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_MARKER = /^\d*<<(-?)(.+)$/;

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: SourceError[] = [];
  const directives = readDirectives(lines, errors);
  const escape = directives.escape === '`' ? '`' : '\\';
  const raw = readInstructions(lines, escape, errors);
  return { directives, escape, ...buildStages(raw, escape, errors), errors };
}

/** Directives are `# name=value` comments at the very top; the first other line ends them. */
function readDirectives(lines: string[], errors: SourceError[]): Record<string, string> {
  const directives: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i].trimStart());
    const name = m?.[1].toLowerCase();
    if (!m || !name || !KNOWN_DIRECTIVES.has(name)) break;
    if (name in directives) {
      errors.push({ line: i + 1, message: `only one "${name}" parser directive may be used` });
      continue;
    }
    if (name === 'escape' && m[2] !== '\\' && m[2] !== '`') {
      errors.push({ line: i + 1, message: `invalid escape directive "${m[2]}": the escape character must be \\ or \`` });
      continue;
    }
    directives[name] = m[2];
  }
  return directives;
}

interface RawInstruction {
  keyword: string;
  line: number;
  endLine: number;
  rest: string;
  heredocs: Heredoc[];
}

const isBlank = (line: string) => line.trim() === '';
const isComment = (line: string) => line.trimStart().startsWith('#');

/** Logical instructions: continuation lines joined (comment and blank lines inside skipped), here-document bodies read. */
function readInstructions(lines: string[], escape: string, errors: SourceError[]): RawInstruction[] {
  const continuation = new RegExp(`${escape === '`' ? '`' : '\\\\'}[ \\t]*$`);
  const out: RawInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    if (isBlank(lines[i]) || isComment(lines[i])) {
      i++;
      continue;
    }
    const line = i + 1;
    let logical = '';
    let current = lines[i].trimStart();
    for (;;) {
      i++;
      const m = continuation.exec(current);
      if (!m) {
        logical += current;
        break;
      }
      logical += current.slice(0, m.index);
      while (i < lines.length && (isBlank(lines[i]) || isComment(lines[i]))) i++;
      if (i >= lines.length) break;
      current = lines[i];
    }
    const [, word = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(logical.trim()) ?? [];
    const keyword = word.toUpperCase();
    const heredocs: Heredoc[] = [];
    for (const marker of heredocMarkers(keyword, rest, escape)) {
      const body: string[] = [];
      const bodyLine = i + 1;
      let terminated = false;
      while (i < lines.length) {
        const bodyText = marker.stripTabs ? lines[i].replace(/^\t+/, '') : lines[i];
        i++;
        if (bodyText === marker.delimiter) {
          terminated = true;
          break;
        }
        body.push(bodyText);
      }
      if (!terminated) errors.push({ line, message: `here-document <<${marker.delimiter} is not terminated` });
      heredocs.push({ delimiter: marker.delimiter, body: body.join('\n'), line: bodyLine, quoted: marker.quoted });
    }
    out.push({ keyword, line, endLine: i, rest, heredocs });
  }
  return out;
}

/**
 * `<<EOF`, `<<-EOF`, `<<"EOF"` words of RUN/COPY/ADD in shell form (and of such an ONBUILD trigger).
 * Like BuildKit, the marker must start a word: `cat << EOF` (with a space) is not a here-document.
 */
function heredocMarkers(keyword: string, rest: string, escape: string): { delimiter: string; stripTabs: boolean; quoted: boolean }[] {
  let text = rest;
  if (keyword === 'ONBUILD') {
    const [, inner = '', innerRest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(rest) ?? [];
    if (!WITH_HEREDOCS.has(inner.toUpperCase())) return [];
    text = innerRest;
  } else if (!WITH_HEREDOCS.has(keyword)) {
    return [];
  }
  if (parseJsonArray(stripFlags(text, escape).args) !== null) return [];
  const markers: { delimiter: string; stripTabs: boolean; quoted: boolean }[] = [];
  for (const w of dockerWords(text, escape)) {
    const m = HEREDOC_MARKER.exec(w.raw);
    if (!m) continue;
    const quoted = /^["']/.test(m[2]);
    const delimiter = (dockerWord(m[2], escape) ?? '').split(/[<>|&;()]/)[0];
    if (delimiter !== '') markers.push({ delimiter, stripTabs: m[1] === '-', quoted });
  }
  return markers;
}

/** Leading `--name[=value]` words. */
function stripFlags(rest: string, escape: string): { flags: Flag[]; args: string } {
  const flags: Flag[] = [];
  let args = rest.trim();
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(=?)/.exec(args);
    if (!m) break;
    const word = firstDockerWord(args, escape)!;
    const eq = word.raw.indexOf('=');
    flags.push({ name: m[1].toLowerCase(), value: m[2] ? dockerWord(word.raw.slice(eq + 1), escape) : null });
    args = args.slice(word.raw.length).trim();
  }
  return { flags, args };
}

function parseJsonArray(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** Assigns instructions to stages, resolves FROM, tracks ARG/ENV scope and reports build-correctness problems. */
function buildStages(raw: RawInstruction[], escape: string, errors: SourceError[]): Pick<Dockerfile, 'instructions' | 'globalArgs' | 'stages'> {
  const instructions: Instruction[] = [];
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  /** Global ARGs: visible to FROM, and to stage ARGs that redeclare them without a default. */
  let globalScope = Variables.EMPTY;
  /** Per stage: its ENV (inherited by stages built on it); `vars` is everything visible in the current stage. */
  const stageEnv: Variables[] = [];
  let vars = globalScope;

  for (const r of raw) {
    if (!INSTRUCTIONS.has(r.keyword)) errors.push({ line: r.line, message: `unknown instruction "${r.keyword}"` });
    const { flags, args } = WITH_FLAGS.has(r.keyword) ? stripFlags(r.rest, escape) : { flags: [], args: r.rest.trim() };
    const json = parseJsonArray(args);
    const scope = r.keyword === 'FROM' ? globalScope : vars;
    const words = json ? json.map((s) => ({ raw: s, value: s })) : dockerWords(args, escape, scope);
    const stage = r.keyword === 'FROM' ? stages.length : stages.length - 1;
    const instruction: Instruction = {
      keyword: r.keyword,
      line: r.line,
      endLine: r.endLine,
      flags,
      args,
      json,
      heredocs: r.heredocs,
      words,
      declarations: [],
      stage,
      scope,
    };
    instructions.push(instruction);
    if (args === '' && r.heredocs.length === 0 && INSTRUCTIONS.has(r.keyword)) {
      errors.push({ line: r.line, message: `${r.keyword} requires arguments` });
    }

    if (r.keyword === 'FROM') {
      const created = newStage(instruction, stages, escape, globalScope, errors);
      stages.push(created);
      const env = created.baseStage !== null ? stageEnv[created.baseStage] : Variables.EMPTY;
      stageEnv.push(env);
      vars = env;
      continue;
    }
    if (stages.length === 0) {
      if (r.keyword === 'ARG') {
        instruction.declarations = declarations(instruction, escape, errors);
        globalScope = globalScope.with(instruction.declarations.map((d) => [d.name, d.resolved] as const));
        vars = globalScope;
        globalArgs.push(instruction);
      } else if (INSTRUCTIONS.has(r.keyword)) {
        errors.push({ line: r.line, message: `${r.keyword} before the first FROM (only ARG may come first)` });
      }
      continue;
    }

    const current = stages[stages.length - 1];
    current.instructions.push(instruction);
    const env = stageEnv[stageEnv.length - 1];
    if (r.keyword === 'ARG') {
      instruction.declarations = declarations(instruction, escape, errors);
      for (const d of instruction.declarations) {
        const fromEnv = env.get(d.name);
        // ENV wins over an ARG of the same name; an ARG without default takes the global ARG's value.
        d.resolved = fromEnv !== undefined ? fromEnv : d.value !== null ? d.resolved : (globalScope.get(d.name) ?? null);
      }
      vars = vars.with(instruction.declarations.map((d) => [d.name, d.resolved] as const));
    } else if (r.keyword === 'ENV') {
      instruction.declarations = declarations(instruction, escape, errors);
      const entries = instruction.declarations.map((d) => [d.name, d.resolved] as const);
      stageEnv[stageEnv.length - 1] = env.with(entries);
      vars = vars.with(entries);
    } else if (r.keyword === 'COPY') {
      const from = instruction.flags.find((f) => f.name === 'from')?.value;
      const source = from ? dockerWord(from, escape, scope)?.toLowerCase() : null;
      if (source && (source === current.name || source === String(current.index))) {
        errors.push({ line: r.line, message: `COPY --from=${from} copies from its own stage` });
      }
    } else if (r.keyword === 'EXPOSE') {
      for (const port of parsePorts(instruction)) {
        if (port.invalid) errors.push({ line: r.line, message: `EXPOSE ${port.text}: ${port.invalid}` });
      }
    }
  }

  for (const stage of stages) {
    for (const keyword of SINGLE_PER_STAGE) {
      const repeated = stage.instructions.filter((i) => i.keyword === keyword);
      const last = repeated[repeated.length - 1];
      for (const earlier of repeated.slice(0, -1)) {
        errors.push({ line: earlier.line, message: `several ${keyword} instructions in stage ${stage.name ?? stage.index}: only the last one (line ${last.line}) takes effect` });
      }
    }
  }
  if (stages.length === 0) errors.push({ line: null, message: 'the Dockerfile has no FROM instruction' });
  return { instructions, globalArgs, stages };
}

function newStage(from: Instruction, stages: Stage[], escape: string, globalScope: Scope, errors: SourceError[]): Stage {
  const words = dockerWords(from.args, escape);
  const baseText = words[0]?.raw ?? '';
  let name: string | null = null;
  if (words.length >= 2) {
    if (words.length === 3 && words[1].raw.toLowerCase() === 'as') name = (words[2].value ?? words[2].raw).toLowerCase();
    else errors.push({ line: from.line, message: `FROM expects "image [AS name]", got "${from.args}"` });
  }
  if (name !== null && stages.some((s) => s.name === name)) {
    errors.push({ line: from.line, message: `duplicate stage name "${name}"` });
  }
  const base = baseText === '' ? null : dockerWord(baseText, escape, globalScope);
  const lower = base?.toLowerCase();
  const earlier = lower === undefined ? undefined : [...stages].reverse().find((s) => s.name === lower);
  const baseKind: BaseKind = base === null || base === '' ? 'unknown' : lower === 'scratch' ? 'scratch' : earlier ? 'stage' : 'image';
  return { index: stages.length, name, from, baseText, base, baseKind, baseStage: earlier?.index ?? null, instructions: [] };
}

/** `ENV a=b c=d`, legacy `ENV name value with spaces`, `ARG name[=default] ...`; values substituted with the scope before the instruction. */
function declarations(instruction: Instruction, escape: string, errors: SourceError[]): Declaration[] {
  const { keyword, args, scope } = instruction;
  const words = dockerWords(args, escape);
  if (words.length === 0) return [];
  if (keyword === 'ENV' && !words[0].raw.includes('=')) {
    const [, name, rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(args) ?? [];
    if (rest === '') errors.push({ line: instruction.line, message: `ENV ${name} has no value (use ENV name=value)` });
    return [{ name, value: dockerWord(rest, escape) ?? '', resolved: dockerWord(rest, escape, scope) }];
  }
  const out: Declaration[] = [];
  for (const w of words) {
    const eq = w.raw.indexOf('=');
    if (eq <= 0) {
      if (keyword === 'ARG' && eq < 0) out.push({ name: w.raw, value: null, resolved: null });
      else errors.push({ line: instruction.line, message: `${keyword} "${w.raw}" is not of the form name=value` });
      continue;
    }
    const valueText = w.raw.slice(eq + 1);
    out.push({ name: w.raw.slice(0, eq), value: dockerWord(valueText, escape) ?? '', resolved: dockerWord(valueText, escape, scope) });
  }
  return out;
}
