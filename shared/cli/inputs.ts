import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parseConfig, type ShipwatchConfig } from '../config/config.ts';
import { DEFAULT_MAX_FILE_SIZE, toPosix, walkRoot } from '../fs/walk.ts';
import type { SourceFile } from '../scan/sources.ts';
import type { ScanNotice } from '../scan/result.ts';
import { UsageError } from './usage.ts';

export interface LoadedInputs {
  files: SourceFile[];
  config: ShipwatchConfig;
  notices: ScanNotice[];
}

/** Reads the config and every input path (`-` is stdin) into source files. */
export async function loadInputs(paths: string[], opts: { config?: string; progress?: (n: number) => void }): Promise<LoadedInputs> {
  const inputs = paths.length ? paths : ['.'];
  const firstDir = inputs.find((p) => p !== '-' && existsSync(p) && statSync(p).isDirectory());
  const configPath = opts.config ?? (firstDir && existsSync(join(firstDir, '.shipwatch.yaml')) ? join(firstDir, '.shipwatch.yaml') : undefined);
  const config = withIgnoresBesideConfig(readConfig(configPath), configPath ? dirname(configPath) : '.');
  const files: SourceFile[] = [];
  const notices: ScanNotice[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push({ path: '-', text: await readStdin(), stdin: true });
      continue;
    }
    if (!existsSync(input)) throw new UsageError(`no such file or folder: ${input}`);
    const walked = walkRoot(input, { exclude: config.exclude, maxFileSize: config.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE, onProgress: opts.progress });
    // Paths as the user would write them from here (`k8s/web.yaml` for `scan k8s/`): what SARIF
    // uploads and editors resolve, and the same path a repository scan of the pipeline reports.
    const shown = statSync(input).isDirectory() ? (path: string) => posix.join(toPosix(input), path) : (path: string) => path;
    for (const file of walked.files) files.push({ ...file, path: shown(file.path) });
    for (const s of walked.skipped) notices.push({ file: shown(s.path), message: `skipped: ${s.reason}` });
  }
  return { files, config, notices };
}

/** `--config FILE` (or the one found beside the inputs); none is an empty configuration. */
export function readConfig(path: string | undefined): ShipwatchConfig {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, path);
}

/** `ignore[].paths` are globs relative to the config file: anchored at its folder like the reported paths. */
function withIgnoresBesideConfig(config: ShipwatchConfig, configDir: string): ShipwatchConfig {
  const base = toPosix(configDir);
  if (!config.ignore || base === '.') return config;
  const anchor = (glob: string) => (glob.startsWith('!') ? `!${posix.join(base, glob.slice(1))}` : posix.join(base, glob));
  return { ...config, ignore: config.ignore.map((entry) => (entry.paths ? { ...entry, paths: entry.paths.map(anchor) } : entry)) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
