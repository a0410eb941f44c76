import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type ShipwatchConfig } from '../config/config.ts';
import { DEFAULT_MAX_FILE_SIZE, walkRoot } from '../fs/walk.ts';
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
  let config: ShipwatchConfig = {};
  if (configPath) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config ${configPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    config = parseConfig(text, configPath);
  }
  const files: SourceFile[] = [];
  const notices: ScanNotice[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push({ path: '-', text: await readStdin(), stdin: true });
      continue;
    }
    if (!existsSync(input)) throw new UsageError(`no such file or folder: ${input}`);
    const walked = walkRoot(input, { exclude: config.exclude, maxFileSize: config.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE, onProgress: opts.progress });
    files.push(...walked.files);
    for (const s of walked.skipped) notices.push({ file: s.path, message: `skipped: ${s.reason}` });
  }
  return { files, config, notices };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
