// The image history read back as Dockerfile instructions. Builders record `created_by` differently:
//   classic builder  `/bin/sh -c #(nop)  ADD file:4f2… in / `   (non-RUN instructions)
//                    `/bin/sh -c apt-get update`                  (RUN)
//                    `|2 TOKEN=abc MODE=x /bin/sh -c make`        (RUN with build args)
//   BuildKit         `RUN /bin/sh -c apt-get update # buildkit`, `RUN |1 TOKEN=abc /bin/sh -c make # buildkit`,
//                    `ADD https://example.com/x.tgz /opt/ # buildkit`, `ENV PATH=/usr/local/bin`
//   buildah/kaniko   the classic forms, or the keyword followed by its arguments
import { parseShell, type SimpleCommand } from '../../iac/docker/shell.ts';
import type { ImageConfig } from '../model.ts';

export interface HistoryStep {
  /** Index into `config.history`. */
  index: number;
  /** Upper-case Dockerfile keyword (`RUN`, `ADD`, `COPY`, `ENV`, ...); empty when `created_by` is blank or unreadable. */
  instruction: string;
  /** The instruction's arguments; for RUN the shell script (build-arg prefix removed). */
  text: string;
  /** `created_by` as recorded. */
  createdBy: string;
  /** Build arguments the builder recorded in front of a RUN (`|N KEY=value ...`). */
  buildArgs: [string, string][];
  emptyLayer: boolean;
  /** Index of the layer this step created (history entries that are not `empty_layer` map to layers in order). */
  layerIndex: number | null;
}

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const BUILDKIT_SUFFIX = /\s+#\s*buildkit\s*$/;
const NOP = /^\/bin\/sh\s+-c\s+#\(nop\)\s*/;
const SHELL_PREFIX = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|a)?sh\s+-c\s+/;
const BUILD_ARGS = /^\|(\d+)\s+/;
const BUILD_ARG = /^([A-Za-z_][A-Za-z0-9_]*)=(.*?)(?=\s+(?:[A-Za-z_][A-Za-z0-9_]*=|(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|a)?sh\s+-c\s)|$)\s*/s;

/** The history of an image as instructions, each tied to the layer it created. */
export function historySteps(config: ImageConfig): HistoryStep[] {
  let layer = 0;
  return (config.history ?? []).map((entry, index) => {
    const emptyLayer = entry.empty_layer === true;
    const step: HistoryStep = { index, ...parseCreatedBy(entry.created_by ?? ''), createdBy: entry.created_by ?? '', emptyLayer, layerIndex: emptyLayer ? null : layer };
    if (!emptyLayer) layer++;
    return step;
  });
}

/** One `created_by` text as keyword, arguments and build args. */
export function parseCreatedBy(createdBy: string): Pick<HistoryStep, 'instruction' | 'text' | 'buildArgs'> {
  let text = createdBy.trim().replace(BUILDKIT_SUFFIX, '');
  if (text === '') return { instruction: '', text: '', buildArgs: [] };
  const nop = NOP.exec(text);
  if (nop) {
    const rest = text.slice(nop[0].length).trim();
    const keyword = /^(\S+)\s*/.exec(rest);
    const upper = keyword?.[1].toUpperCase() ?? '';
    return KEYWORDS.has(upper) ? { instruction: upper, text: rest.slice(keyword![0].length).trim(), buildArgs: [] } : { instruction: '', text: rest, buildArgs: [] };
  }
  const keyword = /^([A-Z]+)\s+/.exec(text);
  if (keyword && KEYWORDS.has(keyword[1])) {
    const rest = text.slice(keyword[0].length);
    return keyword[1] === 'RUN' ? runOf(rest) : { instruction: keyword[1], text: rest.trim(), buildArgs: [] };
  }
  if (BUILD_ARGS.test(text) || SHELL_PREFIX.test(text)) return runOf(text);
  text = text.trim();
  return { instruction: '', text, buildArgs: [] };
}

/** A RUN's script: the `|N KEY=value` build args taken off, then the `/bin/sh -c` wrapper. */
function runOf(text: string): Pick<HistoryStep, 'instruction' | 'text' | 'buildArgs'> {
  let rest = text.trim();
  const buildArgs: [string, string][] = [];
  const count = BUILD_ARGS.exec(rest);
  if (count) {
    rest = rest.slice(count[0].length);
    for (let i = 0; i < Number(count[1]); i++) {
      const arg = BUILD_ARG.exec(rest);
      if (!arg) break;
      buildArgs.push([arg[1], arg[2]]);
      rest = rest.slice(arg[0].length);
    }
  }
  const shell = SHELL_PREFIX.exec(rest);
  if (shell) rest = rest.slice(shell[0].length);
  return { instruction: 'RUN', text: rest.trim(), buildArgs };
}

const parsedScripts = new WeakMap<HistoryStep, SimpleCommand[]>();

/** The simple commands of a RUN step (parsed once per step). */
export function commandsOf(step: HistoryStep): SimpleCommand[] {
  let commands = parsedScripts.get(step);
  if (!commands) parsedScripts.set(step, (commands = step.instruction === 'RUN' ? parseShell(step.text) : []));
  return commands;
}

/** The RUN steps of an image history. */
export function runSteps(config: ImageConfig): HistoryStep[] {
  return historySteps(config).filter((s) => s.instruction === 'RUN');
}

/**
 * A history step as a short, digest-independent identity for fingerprints: its keyword and text,
 * whitespace folded, and the content hashes the classic builder writes (`ADD file:4f2… in /`) blanked,
 * since they change with every rebuild.
 */
export function stepField(step: HistoryStep): string {
  const text = step.text.replace(/\b(file|dir|multi):[0-9a-f]{16,}/g, '$1:*').replace(/\s+/g, ' ').slice(0, 500);
  return `${step.instruction || 'history'}:${text}`;
}

/** A step quoted for a message: the instruction and the start of its text. */
export function describeStep(step: HistoryStep): string {
  const text = step.text.replace(/\s+/g, ' ');
  return `history #${step.index} ${step.instruction ? `${step.instruction} ` : ''}${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}

/** Whether an `rm` of the RUN takes `directory` (no leading `/`) with it: the directory, its contents or an ancestor. */
export function removesPath(commands: readonly SimpleCommand[], directory: string): boolean {
  return commands.some(
    (c) =>
      c.argv[0] === 'rm' &&
      c.argv.slice(1).some((arg) => {
        const p = arg.replace(/^\/+/, '').replace(/\/\*$/, '').replace(/\/+$/, '');
        return !arg.startsWith('-') && p !== '' && (directory === p || directory.startsWith(`${p}/`));
      }),
  );
}
