/**
 * Splits a POSIX shell script (a RUN command) into simple commands, so rules match per command on
 * word boundaries. Enough shell to find commands, not to run them: quotes, escapes, `&&`, `||`, `;`,
 * `&`, pipes, newlines, subshells, redirections, here-documents, `$(…)` and backticks. Scripts handed
 * to a shell (`sh -c '…'`, `bash <<EOF`) are split too.
 */

export interface Redirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>`, ... (file descriptor numbers dropped). */
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** `NAME=value` words before the program. */
  assignments: string[];
  /** Wrappers in front of the program (`sudo`, `env`, `command`, `exec`, `nohup`, `time`, `nice`, `doas`, `busybox`), by base name. */
  wrappers: string[];
  /** The program (base name: `/usr/bin/curl` → `curl`) and its arguments, quotes removed; `$VAR` stays as written. */
  argv: string[];
  redirects: Redirect[];
  /** Bodies of the here-documents this command reads. */
  heredocs: string[];
  /** Commands joined by `|` share a pipeline number; the order inside a pipeline is the script order. */
  pipeline: number;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const MAX_DEPTH = 8;
/** Finds the end of a run of characters with no special meaning inside a word. */
const ORDINARY_RUN = /[\\'"$`\s;()&|<>]/g;
const REDIRECT_OPERATOR = /<<<|<<-|<<|<>|<&|>>|>&|>\||<|>/y;

export function isShell(program: string): boolean {
  return SHELLS.has(program);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The simple commands of a script, in order; commands of nested scripts follow the command that runs them. */
export function parseShell(script: string): SimpleCommand[] {
  return parseScript(script, { pipelines: 0 }, 0);
}

/** A command given as a word list (RUN in exec form); `["sh", "-c", "…"]` is split like a script. */
export function commandFromWords(words: readonly string[]): SimpleCommand[] {
  const counter = { pipelines: 0 };
  const command = finishCommand([...words], [], [], counter.pipelines++);
  return command ? [command, ...nestedCommands(command, counter, 0)] : [];
}

interface Counter {
  pipelines: number;
}

interface PendingHeredoc {
  heredocs: string[];
  delimiter: string;
  stripTabs: boolean;
}

function parseScript(src: string, counter: Counter, depth: number): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  if (depth > MAX_DEPTH) return out;
  const substitutions: string[] = [];
  let words: string[] = [];
  let redirects: Redirect[] = [];
  let heredocs: string[] = [];
  let pipeline = counter.pipelines++;
  let word: string | null = null;
  let pendingOp: string | null = null;
  let pendingHeredocs: PendingHeredoc[] = [];
  let i = 0;

  const endWord = () => {
    if (word === null) return;
    if (pendingOp !== null) {
      redirects.push({ op: pendingOp, target: word });
      if (pendingOp === '<<' || pendingOp === '<<-') pendingHeredocs.push({ heredocs, delimiter: word, stripTabs: pendingOp === '<<-' });
      pendingOp = null;
    } else {
      words.push(word);
    }
    word = null;
  };
  const endCommand = (piped: boolean) => {
    endWord();
    pendingOp = null;
    const command = finishCommand(words, redirects, heredocs, pipeline);
    if (command) out.push(command);
    words = [];
    redirects = [];
    heredocs = [];
    if (!piped) pipeline = counter.pipelines++;
  };
  const append = (text: string) => {
    word = (word ?? '') + text;
  };
  const readHeredocBodies = () => {
    for (const pending of pendingHeredocs) {
      const lines: string[] = [];
      while (i < src.length) {
        const newline = src.indexOf('\n', i);
        const end = newline < 0 ? src.length : newline;
        const line = pending.stripTabs ? src.slice(i, end).replace(/^\t+/, '') : src.slice(i, end);
        i = end + 1;
        if (line === pending.delimiter) break;
        lines.push(line);
      }
      pending.heredocs.push(lines.join('\n'));
    }
    pendingHeredocs = [];
  };

  while (i < src.length) {
    const ch = src[i];
    const next = src[i + 1];
    if (ch === '\\') {
      if (next !== '\n' && next !== undefined) append(next);
      i += 2;
    } else if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      const stop = end < 0 ? src.length : end;
      append(src.slice(i + 1, stop));
      i = stop + 1;
    } else if (ch === '"') {
      const quoted = readDoubleQuoted(src, i + 1, substitutions);
      append(quoted.value);
      i = quoted.end + 1;
    } else if (ch === '$' && next === "'") {
      const end = findAnsiQuoteEnd(src, i + 2);
      append(src.slice(i + 2, end));
      i = end + 1;
    } else if (ch === '$' || ch === '`') {
      const end = substitutionEnd(src, i, substitutions);
      append(src.slice(i, end));
      i = end;
    } else if (ch === '#' && word === null) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
    } else if (ch === '\n') {
      endCommand(false);
      i++;
      readHeredocBodies();
    } else if (ch === ';' || ch === '(' || ch === ')') {
      endCommand(false);
      i += ch === ';' && (next === ';' || next === '&') ? 2 : 1;
    } else if (ch === '&' && next === '>') {
      endWord();
      pendingOp = src[i + 2] === '>' ? '&>>' : '&>';
      i += pendingOp.length;
    } else if (ch === '&') {
      endCommand(false);
      i += next === '&' ? 2 : 1;
    } else if (ch === '|') {
      endCommand(next !== '|');
      i += next === '|' || next === '&' ? 2 : 1;
    } else if (ch === '<' || ch === '>') {
      if (word !== null && /^\d+$/.test(word)) word = null; // a file descriptor number: `2>&1`
      endWord();
      REDIRECT_OPERATOR.lastIndex = i;
      const op = REDIRECT_OPERATOR.exec(src)![0];
      pendingOp = op;
      i += op.length;
    } else {
      ORDINARY_RUN.lastIndex = i + 1;
      const end = ORDINARY_RUN.exec(src)?.index ?? src.length;
      append(src.slice(i, end));
      i = end;
    }
  }
  endCommand(false);

  const all: SimpleCommand[] = [];
  for (const command of out) all.push(command, ...nestedCommands(command, counter, depth));
  for (const inner of substitutions) all.push(...parseScript(inner, counter, depth + 1));
  return all;
}

/** Commands of the scripts a command hands to a shell: `sh -c 'script'`, or a here-document fed to `bash`. */
function nestedCommands(command: SimpleCommand, counter: Counter, depth: number): SimpleCommand[] {
  const [program, ...args] = command.argv;
  if (program === undefined || !isShell(program)) return [];
  const invocation = shellInvocation(args);
  if (invocation.script !== null) return parseScript(invocation.script, counter, depth + 1);
  if (!invocation.readsStdin) return [];
  return command.heredocs.flatMap((body) => parseScript(body, counter, depth + 1));
}

/** What a shell runs: the `-c` script, or standard input when there is no script file operand (or `-s`). */
function shellInvocation(args: readonly string[]): { script: string | null; readsStdin: boolean } {
  let command = false;
  let stdin = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--' || arg === '-') return { script: command ? (args[i + 1] ?? null) : null, readsStdin: !command && (stdin || i + 1 >= args.length || arg === '-') };
    if (/^[-+]o$|^-O$|^--rcfile$|^--init-file$/.test(arg)) {
      i++; // option with an argument: -o pipefail
      continue;
    }
    if (/^--/.test(arg)) continue;
    if (/^[-+][A-Za-z]+$/.test(arg)) {
      if (arg.startsWith('-') && arg.includes('c')) command = true;
      if (arg.startsWith('-') && arg.includes('s')) stdin = true;
      continue;
    }
    return command ? { script: arg, readsStdin: false } : { script: null, readsStdin: stdin };
  }
  return { script: null, readsStdin: !command };
}

function finishCommand(rawWords: string[], redirects: Redirect[], heredocs: string[], pipeline: number): SimpleCommand | null {
  let start = 0;
  while (start < rawWords.length && LEADING_KEYWORDS.has(rawWords[start])) start++;
  const words = rawWords.slice(start);
  if (words.length === 1 && CLOSING_KEYWORDS.has(words[0])) words.pop();
  if (words.length === 0 && redirects.length === 0) return null;
  let programAt = 0;
  while (programAt < words.length && ASSIGNMENT.test(words[programAt])) programAt++;
  const { argv, wrappers } = unwrap(words.slice(programAt));
  return { assignments: words.slice(0, programAt), wrappers, argv, redirects, heredocs, pipeline };
}

/** Options that take a separate argument, per wrapper. */
const WRAPPER_OPTION_ARGS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '-C', '-S']),
  exec: new Set(['-a']),
  nice: new Set(['-n']),
  command: new Set(),
  nohup: new Set(),
  time: new Set(['-f', '-o']),
  busybox: new Set(),
};

function unwrap(words: string[]): { argv: string[]; wrappers: string[] } {
  const wrappers: string[] = [];
  let rest = words;
  while (rest.length > 0) {
    const name = baseName(rest[0]);
    const optionArgs = WRAPPER_OPTION_ARGS[name];
    if (!optionArgs) break;
    let i = 1;
    for (; i < rest.length && rest[i].startsWith('-'); i++) {
      if (rest[i] === '--') {
        i++;
        break;
      }
      if (name === 'command' && /^-[vV]$/.test(rest[i])) return { argv: [name, ...rest.slice(1)], wrappers }; // a lookup, not a run
      if (optionArgs.has(rest[i])) i++;
    }
    if (name === 'env' || name === 'sudo') while (i < rest.length && ASSIGNMENT.test(rest[i])) i++;
    wrappers.push(name);
    rest = rest.slice(i);
  }
  return { argv: rest.length > 0 ? [baseName(rest[0]), ...rest.slice(1)] : [], wrappers };
}

/** Reads a double-quoted string starting after the opening quote. */
function readDoubleQuoted(src: string, start: number, substitutions: string[]): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < src.length && src[i] !== '"') {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length) {
      const next = src[i + 1];
      if (next === '\n') {
        i += 2;
        continue;
      }
      value += '$`"\\'.includes(next) ? next : ch + next;
      i += 2;
    } else if (ch === '$' || ch === '`') {
      const end = substitutionEnd(src, i, substitutions);
      value += src.slice(i, end);
      i = end;
    } else {
      value += ch;
      i++;
    }
  }
  return { value, end: i };
}

function findAnsiQuoteEnd(src: string, start: number): number {
  let i = start;
  while (i < src.length && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
  return Math.min(i, src.length);
}

/**
 * At a `$` or backtick: the end of `$(…)`, `` `…` ``, `$((…))`, `${…}` or `$NAME`; the script inside a
 * command substitution is recorded so its commands are split too.
 */
function substitutionEnd(src: string, start: number, substitutions: string[]): number {
  if (src[start] === '`') {
    let i = start + 1;
    while (i < src.length && src[i] !== '`') i += src[i] === '\\' ? 2 : 1;
    substitutions.push(src.slice(start + 1, i).replace(/\\([`\\$])/g, '$1'));
    return Math.min(i + 1, src.length);
  }
  const next = src[start + 1];
  if (next === '(' && src[start + 2] === '(') return balancedEnd(src, start + 1, '(', ')');
  if (next === '(') {
    const end = balancedEnd(src, start + 1, '(', ')');
    substitutions.push(src.slice(start + 2, end - 1));
    return end;
  }
  if (next === '{') return balancedEnd(src, start + 1, '{', '}');
  let i = start + 1;
  if (i < src.length && /[A-Za-z_]/.test(src[i])) while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
  else if (i < src.length && /[0-9@*#?$!-]/.test(src[i])) i++;
  return i;
}

/** Index just past the bracket closing the one at `open`, skipping quoted text. */
function balancedEnd(src: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  let i = open;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === "'" && opener === '(') {
      const end = src.indexOf("'", i + 1);
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (ch === '"') {
      i = readDoubleQuoted(src, i + 1, []).end + 1;
      continue;
    }
    if (ch === opener) depth++;
    else if (ch === closer && --depth === 0) return i + 1;
    i++;
  }
  return src.length;
}

/** curl short options that take an argument: in a cluster such as `-fsSLo`, what follows them is that argument. */
const CURL_OPTIONS_WITH_ARGUMENT = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz');

/** `curl -k` / `--insecure`, also inside a cluster of short options (`-fsSLk`). */
export function curlInsecure(argv: readonly string[]): boolean {
  return argv.slice(1).some((arg) => {
    if (arg === '--insecure') return true;
    if (!/^-[^-]/.test(arg)) return false;
    for (const ch of arg.slice(1)) {
      if (ch === 'k') return true;
      if (CURL_OPTIONS_WITH_ARGUMENT.has(ch)) return false;
    }
    return false;
  });
}
