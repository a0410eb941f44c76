// `shipwatch audit <files...|->`: Kubernetes audit logs (JSON lines as the API server and EKS write
// them, or an EventList document) through the audit detections, with fresh in-memory state.
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import type { ShipwatchConfig } from '../config/config.ts';
import { SEVERITIES, severityRank, summarize } from '../findings/finding.ts';
import type { ScanError, ScanNotice, ScanResult } from '../scan/result.ts';
import { parseAuditLines } from '../audit/parse.ts';
import { createAuditProcessor, type AuditProcessor } from '../audit/processor.ts';
import { MemoryAuditState } from '../audit/state.ts';
import { BaselineLearner } from '../audit/baseline/learner.ts';
import { MemoryBaselineStore } from '../audit/baseline/store.ts';
import { readConfig } from './inputs.ts';
import { failing, FORMATS, oneOf, parse, render, type FailOn, type Format, type Io } from './main.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage.ts';

/** Bytes read and processed at a time: large logs stream through in batches instead of one string. */
const CHUNK_BYTES = 256 * 1024;

export async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    cluster: { type: 'string' },
    'fail-on': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (positionals.length === 0) throw new UsageError('audit needs at least one audit log file (or - for stdin)');
  const format: Format = oneOf(values.format, FORMATS, '--format', 'table');
  const failOnFlag = values['fail-on'] === undefined ? undefined : oneOf(values['fail-on'], [...SEVERITIES, 'none'] as const, '--fail-on', 'high');
  const config = readConfig(values.config);
  const result = await auditFiles(positionals, { config, cluster: values.cluster ?? 'local' });
  const failOn: FailOn = failOnFlag ?? config.failOn ?? 'high';

  const color = !values.output && io.stdout.isTTY === true && !process.env.NO_COLOR;
  const rendered = render(result, format, color, values.quiet === true);
  if (values.output) writeFileSync(values.output, rendered);
  else if (rendered) io.stdout.write(rendered);
  return failing(result.findings, failOn).length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Runs audit log files through one processor with fresh in-memory state (baselines included) and collects a ScanResult. */
export async function auditFiles(paths: readonly string[], options: { config: ShipwatchConfig; cluster: string }): Promise<ScanResult> {
  const processor = createAuditProcessor({ config: options.config, state: new MemoryAuditState(), baselines: new BaselineLearner(new MemoryBaselineStore()) });
  const errors: ScanError[] = [];
  // Where each event came from, by its index across all batches (processor errors name that
  // index): its line, and the first index of each file (plain numbers: one per event adds up).
  const lineOf: number[] = [];
  const fileStarts: { file: string; start: number }[] = [];
  async function* batches(): AsyncGenerator<unknown[]> {
    for (const path of paths) {
      const file = path === '-' ? '(stdin)' : path;
      fileStarts.push({ file, start: lineOf.length });
      let firstLine = 1;
      for await (const text of textChunks(path)) {
        const parsed = parseAuditLines(text);
        for (const e of parsed.errors) errors.push({ file, line: e.line + firstLine - 1, message: e.message });
        for (const line of parsed.lines) lineOf.push(line + firstLine - 1);
        firstLine += parsed.lineBreaks;
        yield parsed.events;
      }
    }
  }
  const result = await processor.processAll(options.cluster, batches());
  const fileOf = (index: number) => [...fileStarts].reverse().find((f) => f.start <= index)?.file ?? '';
  for (const e of result.errors) errors.push({ file: fileOf(e.index), line: lineOf[e.index], message: e.message });
  errors.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : 0));
  const sorted = result.findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.ruleId.localeCompare(b.ruleId, 'en', { numeric: true }) || String(a.audit?.firstSeen).localeCompare(String(b.audit?.firstSeen)));
  return { schemaVersion: 1, findings: sorted, errors, notices: notices(processor, result.metrics), summary: summarize(sorted) };
}

function notices(processor: AuditProcessor, totals: Record<string, number>): ScanNotice[] {
  const out: ScanNotice[] = processor.warnings.map((message) => ({ file: null, message }));
  const n = (k: string) => totals[k] ?? 0;
  out.push({ file: null, message: `audit events: ${n('events')} read, ${n('evaluated')} evaluated, ${n('duplicates')} duplicates, ${n('ignored_stage')} at stages not evaluated, ${n('rejected')} not audit events` });
  const unavailable = Object.entries(totals).filter(([k, v]) => k.startsWith('spec_unavailable.') && v > 0);
  if (unavailable.length > 0) {
    out.push({
      file: null,
      message: `request bodies missing (Metadata level or JSON patch), so these could not be evaluated: ${unavailable.map(([k, v]) => `${k.slice('spec_unavailable.'.length)} ${v}`).join(', ')}; log pods, workloads and RBAC at Request level`,
    });
  }
  return out;
}

/** A file (or stdin) in chunks that end at a line break. */
async function* textChunks(path: string): AsyncGenerator<string> {
  if (path === '-') {
    yield await readStdin();
    return;
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const read = (buffer: Buffer) => {
    try {
      return readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  try {
    let carry: Buffer | null = null;
    let first = true;
    for (;;) {
      // A fresh buffer per read: the text decoded from it is the only copy.
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const bytes = read(buffer);
      const data: Buffer = carry ? Buffer.concat([carry, buffer.subarray(0, bytes)]) : buffer.subarray(0, bytes);
      if (first && bytes > 0 && startsPrettyDocument(data)) {
        // A pretty-printed document (an EventList) is only parseable whole.
        const parts = [data];
        for (let more = Buffer.allocUnsafe(CHUNK_BYTES), n = read(more); n > 0; more = Buffer.allocUnsafe(CHUNK_BYTES), n = read(more)) parts.push(more.subarray(0, n));
        yield Buffer.concat(parts).toString('utf8');
        return;
      }
      first = false;
      if (bytes === 0) {
        if (data.length) yield data.toString('utf8');
        return;
      }
      const cut = data.lastIndexOf(0x0a);
      if (cut < 0) {
        carry = data;
        continue;
      }
      const text = data.toString('utf8', 0, cut + 1);
      carry = cut + 1 < data.length ? data.subarray(cut + 1) : null;
      yield text;
    }
  } finally {
    closeSync(fd);
  }
}

function startsPrettyDocument(data: Buffer): boolean {
  const end = data.indexOf(0x0a);
  const firstLine = data.subarray(0, end < 0 ? Math.min(data.length, 256) : end).toString('utf8').replace(/^\uFEFF/, '').trim();
  return firstLine === '{' || firstLine === '[' || ((firstLine.endsWith('{') || firstLine.endsWith('[')) && !firstLine.endsWith('}'));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
