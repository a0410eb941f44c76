/** What the DOCKER rules ask of a parsed Dockerfile: stages, RUN commands, COPY operands, ports, finding fields. */
import type { Dockerfile, Flag, Instruction, Stage } from './parse.ts';
import { baseName, commandFromWords, isShell, parseShell, type SimpleCommand } from './shell.ts';
import type { Word } from './words.ts';

/** The stage the build produces: the last FROM (a `--target` cannot be seen in the file). */
export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return dockerfile.stages[dockerfile.stages.length - 1];
}

/** The stage, then the earlier stage it is built on, and so on (what USER or HEALTHCHECK it inherits). */
export function lineage(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const chain = [stage];
  for (let s = stage; s.baseStage !== null && s.baseStage < s.index; ) {
    s = dockerfile.stages[s.baseStage];
    chain.push(s);
  }
  return chain;
}

/** The stages whose FROM names an external image (not an earlier stage, scratch or an unresolvable reference). */
export function externalBases(dockerfile: Dockerfile): (Stage & { base: string })[] {
  return dockerfile.stages.filter((s): s is Stage & { base: string } => s.baseKind === 'image' && s.base !== null);
}

export function stageLabel(dockerfile: Dockerfile, index: number): string {
  const stage = dockerfile.stages[index];
  return stage ? `stage:${stage.name ?? stage.index}` : 'global';
}

/**
 * A finding field for an instruction that does not depend on line numbers: its stage and text, with
 * an ordinal when the same instruction appears again in that stage.
 */
export function instructionField(dockerfile: Dockerfile, instruction: Instruction): string {
  let fields = fieldCache.get(dockerfile);
  if (!fields) {
    fields = new Map();
    const seen = new Map<string, number>();
    for (const i of dockerfile.instructions) {
      const key = `${stageLabel(dockerfile, i.stage)} ${[i.keyword, i.flags.map((f) => `--${f.name}=${f.value ?? ''}`).join(' '), i.args, ...i.heredocs.map((h) => h.body)].join('\n')}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      fields.set(i, n > 1 ? `${key} #${n}` : key);
    }
    fieldCache.set(dockerfile, fields);
  }
  return fields.get(instruction) ?? `${stageLabel(dockerfile, instruction.stage)} ${instruction.keyword}`;
}

const fieldCache = new WeakMap<Dockerfile, Map<Instruction, string>>();

export function flag(instruction: Instruction, name: string): Flag | undefined {
  return instruction.flags.find((f) => f.name === name);
}

/** Every instruction of the file with this keyword. */
export function instructionsOf(dockerfile: Dockerfile, keyword: string): Instruction[] {
  return dockerfile.instructions.filter((i) => i.keyword === keyword);
}

/**
 * The simple commands a RUN executes: the shell-form line, here-documents fed to a shell, a lone
 * `RUN <<EOF` script (unless its `#!` names another interpreter), and `sh -c` in exec form.
 */
export function runCommands(run: Instruction): SimpleCommand[] {
  let commands = commandCache.get(run);
  if (!commands) commandCache.set(run, (commands = splitRun(run)));
  return commands;
}

/** Every rule asks for the same RUN's commands: split each RUN once. */
const commandCache = new WeakMap<Instruction, SimpleCommand[]>();

function splitRun(run: Instruction): SimpleCommand[] {
  if (run.json) return commandFromWords(run.json);
  if (run.heredocs.length === 1 && /^\d*<<-?\S+$/.test(run.args)) {
    const body = run.heredocs[0].body;
    return runsAsShellScript(body) ? parseShell(body) : [];
  }
  return parseShell([run.args, ...run.heredocs.map((h) => `${h.body}\n${h.delimiter}`)].join('\n'));
}

function runsAsShellScript(body: string): boolean {
  const shebang = /^#!\s*(\S+)(.*)/.exec(body);
  if (!shebang) return true;
  const program = baseName(shebang[1]);
  if (program !== 'env') return isShell(program);
  const target = shebang[2].trim().split(/\s+/).find((w) => !w.startsWith('-'));
  return target !== undefined && isShell(baseName(target));
}

/** COPY/ADD operands: sources (here-document sources excluded) and the destination. */
export function copyOperands(instruction: Instruction): { sources: Word[]; destination: Word | undefined } {
  const operands = instruction.words.filter((w) => instruction.json !== null || !/^\d*<<-?\S/.test(w.raw));
  return { sources: operands.slice(0, -1), destination: operands[operands.length - 1] };
}

export interface PortSpec {
  text: string;
  /** First and last port (equal unless a range); null when a variable cannot be resolved. */
  from: number | null;
  to: number | null;
  protocol: string;
  /** Why the spec is not a valid port, when it is not. */
  invalid: string | null;
}

/** `EXPOSE 80 443/tcp 8000-8010/udp $PORT`, variables substituted. */
export function parsePorts(expose: Instruction): PortSpec[] {
  return expose.words.map((w) => {
    if (w.value === null) return { text: w.raw, from: null, to: null, protocol: 'tcp', invalid: null };
    const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(w.value);
    if (!m) return { text: w.value, from: null, to: null, protocol: 'tcp', invalid: 'not a port, a port range or port/protocol' };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const protocol = (m[3] ?? 'tcp').toLowerCase();
    let invalid: string | null = null;
    if (from > 65535 || to > 65535) invalid = 'port out of range (0-65535)';
    else if (to < from) invalid = 'the range ends before it starts';
    else if (!['tcp', 'udp', 'sctp'].includes(protocol)) invalid = `unknown protocol "${m[3]}" (tcp, udp or sctp)`;
    return { text: w.value, from, to, protocol, invalid };
  });
}

/** Every RUN of the file with its simple commands. */
export function runsOf(dockerfile: Dockerfile): { run: Instruction; commands: SimpleCommand[] }[] {
  return instructionsOf(dockerfile, 'RUN').map((run) => ({ run, commands: runCommands(run) }));
}
