// The ingest pieces on their own: tokens, the EventList envelope, the webhook handler's decisions,
// batch splitting for the queue, CloudWatch Logs decoding and the configuration loader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, parseAuditBatchJob, splitAuditBatch, type AuditBatchJob } from '../../shared/audit/ingest/batch-queue.ts';
import { clusterOfLogGroup, decodeCloudWatchLogs, isCloudWatchLogsEvent } from '../../shared/audit/ingest/cloudwatch-logs.ts';
import { configLoader, parseConfigLocation } from '../../shared/audit/ingest/config-source.ts';
import { parseEventList } from '../../shared/audit/ingest/event-list.ts';
import type { AuditIngest } from '../../shared/audit/ingest/sink.ts';
import { auditTokensFromJson, authorizeAuditRequest, parseAuditTokens } from '../../shared/audit/ingest/tokens.ts';
import { handleAuditWebhook, INLINE_MAX_EVENTS } from '../../shared/audit/ingest/webhook.ts';
import { auditEvent } from './events.ts';

describe('audit webhook tokens', () => {
  const tokens = parseAuditTokens(' prod-eu=s3cr3t-one , staging=two ');

  it('parses SHIPWATCH_AUDIT_TOKENS and the Secrets Manager JSON', () => {
    expect([...tokens]).toEqual([['prod-eu', 's3cr3t-one'], ['staging', 'two']]);
    expect([...auditTokensFromJson({ 'prod-eu': 'a', 'bad name': 'b', empty: '', number: 3 })]).toEqual([['prod-eu', 'a']]);
    expect(auditTokensFromJson(null).size).toBe(0);
    expect(parseAuditTokens(undefined).size).toBe(0);
  });

  it('refuses malformed entries without repeating the token', () => {
    expect(() => parseAuditTokens('prod=ok,staging')).toThrow('entry 2');
    expect(() => parseAuditTokens('=leaked-token')).toThrow(/^SHIPWATCH_AUDIT_TOKENS entry 1 is not/);
    expect(() => parseAuditTokens('=leaked-token')).not.toThrow(/leaked/);
  });

  it('401 for a missing, malformed or wrong bearer token; 404 for an unknown cluster; the scheme is case-insensitive', () => {
    expect(authorizeAuditRequest(tokens, 'prod-eu', 'Bearer s3cr3t-one')).toEqual({ ok: true });
    expect(authorizeAuditRequest(tokens, 'prod-eu', 'bearer s3cr3t-one')).toEqual({ ok: true });
    for (const header of [undefined, '', 'Bearer', 'Bearer s3cr3t-on', 'Bearer s3cr3t-one2', 'Basic s3cr3t-one', 'Bearer two', 'Bearer s3cr3t-one extra']) {
      expect(authorizeAuditRequest(tokens, 'prod-eu', header)).toMatchObject({ ok: false, statusCode: 401 });
    }
    expect(authorizeAuditRequest(tokens, 'dev', 'Bearer s3cr3t-one')).toMatchObject({ ok: false, statusCode: 404 });
    expect(authorizeAuditRequest(tokens, '../prod-eu', 'Bearer s3cr3t-one')).toMatchObject({ statusCode: 404 });
  });
});

describe('EventList envelope', () => {
  it('gives the items (v1, v1beta1, missing items) and why anything else is refused', () => {
    expect(parseEventList('{"kind":"EventList","apiVersion":"audit.k8s.io/v1beta1","items":[{"auditID":"a"}]}')).toEqual({ ok: true, items: [{ auditID: 'a', kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }] });
    expect(parseEventList('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{}}')).toEqual({ ok: true, items: [] });
    expect(parseEventList('{"kind":"EventList","items":[')).toEqual({ ok: false, reason: expect.stringMatching(/^body is not valid JSON/) });
    expect(parseEventList('password=hunter2')).toMatchObject({ ok: false });
    expect(JSON.stringify(parseEventList('password=hunter2'))).not.toContain('hunter2');
    expect(parseEventList('[]')).toMatchObject({ ok: false, reason: expect.stringContaining('EventList') });
    expect(parseEventList('{"kind":"EventList","apiVersion":"audit.k8s.io/v2","items":[]}')).toMatchObject({ ok: false, reason: expect.stringContaining('apiVersion') });
  });
});

describe('handleAuditWebhook', () => {
  const tokens = async () => parseAuditTokens('prod=t0ken');
  const recorder = () => {
    const calls: { cluster: string; items: readonly unknown[] }[] = [];
    const ingest: AuditIngest = async (cluster, items) => {
      calls.push({ cluster, items });
      return { events: items.length, rejected: 0, duplicates: 0, findings: 0, opened: 0, errors: [], metrics: { events: items.length } };
    };
    return { calls, ingest };
  };
  const list = (n: number) => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: Array.from({ length: n }, (_, i) => auditEvent({ verb: 'get', resource: 'pods', name: `p${i}` })) });

  it('processes a batch up to the inline limit in place', async () => {
    const { calls, ingest } = recorder();
    const sent: AuditBatchJob[] = [];
    const out = await handleAuditWebhook({ cluster: 'prod', authorization: 'Bearer t0ken', body: list(INLINE_MAX_EVENTS) }, { tokens, ingest, queue: { send: async (j) => void sent.push(j) } });
    expect(out).toEqual({ statusCode: 200, body: { message: 'batch processed', events: 500, rejected: 0, duplicates: 0, findings: 0, opened: 0, errors: [] } });
    expect(calls).toHaveLength(1);
    expect(sent).toEqual([]);
  });

  it('queues a larger batch in messages under the SQS limit, and evaluates it in place without a queue', async () => {
    const { calls, ingest } = recorder();
    const sent: AuditBatchJob[] = [];
    const out = await handleAuditWebhook({ cluster: 'prod', authorization: 'Bearer t0ken', body: list(1200) }, { tokens, ingest, queue: { send: async (j) => void sent.push(j) } });
    expect(out.statusCode).toBe(202);
    expect(out.body.queuedMessages).toBe(sent.length);
    expect(sent.flatMap((j) => j.events)).toHaveLength(1200);
    for (const job of sent) expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(calls).toEqual([]);
    expect((await handleAuditWebhook({ cluster: 'prod', authorization: 'Bearer t0ken', body: list(600) }, { tokens, ingest })).statusCode).toBe(200);
  });

  it('checks the token before the size and the size before parsing; nothing reaches the ingest on refusal', async () => {
    const { calls, ingest } = recorder();
    const huge = 'x'.repeat(6 * 1024 * 1024);
    expect((await handleAuditWebhook({ cluster: 'prod', authorization: undefined, body: huge }, { tokens, ingest })).statusCode).toBe(401);
    expect((await handleAuditWebhook({ cluster: 'other', authorization: 'Bearer t0ken', body: huge }, { tokens, ingest })).statusCode).toBe(404);
    expect((await handleAuditWebhook({ cluster: 'prod', authorization: 'Bearer t0ken', body: huge }, { tokens, ingest })).statusCode).toBe(413);
    expect((await handleAuditWebhook({ cluster: 'prod', authorization: 'Bearer t0ken', body: 'nope' }, { tokens, ingest })).statusCode).toBe(400);
    expect(calls).toEqual([]);
  });
});

describe('splitting a batch for the queue', () => {
  it('keeps order, caps events and bytes per message, and hands back items too large for any message', () => {
    const big = { pad: 'y'.repeat(MAX_MESSAGE_BYTES) };
    const events = [...Array.from({ length: 1001 }, (_, i) => ({ i })), big, { i: 'last' }];
    const { jobs, oversized } = splitAuditBatch('prod', events);
    expect(oversized).toEqual([big]);
    expect(jobs.map((j) => j.events.length)).toEqual([500, 500, 2]);
    expect(jobs.flatMap((j) => j.events)).toEqual(events.filter((e) => e !== big));
    const bytes = splitAuditBatch('prod', Array.from({ length: 40 }, () => ({ pad: 'z'.repeat(20_000) })));
    expect(bytes.jobs.length).toBeGreaterThan(1);
    for (const job of bytes.jobs) expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  it('parses queue messages back, refusing poison', () => {
    expect(parseAuditBatchJob(JSON.stringify({ type: 'audit-batch', cluster: 'prod', events: [1] }))).toEqual({ type: 'audit-batch', cluster: 'prod', events: [1] });
    expect(() => parseAuditBatchJob('{')).toThrow('not JSON');
    expect(() => parseAuditBatchJob('{"type":"audit-batch","cluster":"prod"}')).toThrow('events');
  });
});

describe('CloudWatch Logs payloads', () => {
  const encode = (envelope: unknown) => gzipSync(JSON.stringify(envelope)).toString('base64');

  it('names the cluster from /aws/eks/<cluster>/cluster and keeps the audit stream messages', () => {
    expect(clusterOfLogGroup('/aws/eks/prod-eu/cluster')).toBe('prod-eu');
    expect(clusterOfLogGroup('/aws/eks/prod-eu/other')).toBeNull();
    const data = encode({ messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/prod-eu/cluster', logStream: 'kube-apiserver-audit-0f1e', logEvents: [{ id: '1', timestamp: 1, message: '{"a":1}' }, { id: '2', timestamp: 2 }] });
    expect(isCloudWatchLogsEvent({ awslogs: { data } })).toBe(true);
    expect(decodeCloudWatchLogs(data)).toEqual({ kind: 'audit', cluster: 'prod-eu', logStream: 'kube-apiserver-audit-0f1e', messages: ['{"a":1}'] });
  });

  it('control messages, other streams and malformed payloads', () => {
    expect(decodeCloudWatchLogs(encode({ messageType: 'CONTROL_MESSAGE', logGroup: '', logStream: '', logEvents: [] }))).toEqual({ kind: 'control' });
    expect(decodeCloudWatchLogs(encode({ messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/prod-eu/cluster', logStream: 'kube-scheduler-1', logEvents: [] }))).toMatchObject({ kind: 'ignored' });
    expect(() => decodeCloudWatchLogs(encode({ hello: 'world' }))).toThrow('not a CloudWatch Logs subscription envelope');
    expect(() => decodeCloudWatchLogs('not base64 gzip')).toThrow();
    expect(isCloudWatchLogsEvent({ Records: [] })).toBe(false);
  });
});

describe('configuration locations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-audit-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('s3://, ssm: and file paths', () => {
    expect(parseConfigLocation('s3://bucket/path/to/shipwatch.yaml')).toEqual({ kind: 's3', bucket: 'bucket', key: 'path/to/shipwatch.yaml' });
    expect(parseConfigLocation('ssm:/shipwatch/config')).toEqual({ kind: 'ssm', name: '/shipwatch/config' });
    expect(parseConfigLocation('./.shipwatch.yaml')).toEqual({ kind: 'file', path: './.shipwatch.yaml' });
    expect(() => parseConfigLocation('s3:bucket')).toThrow('s3://bucket/key');
  });

  it('re-reads after a while, keeps the last good configuration when a read fails, and starts empty without a location', async () => {
    const file = join(dir, 'shipwatch.yaml');
    writeFileSync(file, 'audit:\n  disable: [AUDIT-040]\n');
    let now = 0;
    const load = configLoader(file, () => now);
    expect((await load()).config.audit?.disable).toEqual(['AUDIT-040']);
    writeFileSync(file, 'audit:\n  disable: [AUDIT-033]\n');
    expect((await load()).config.audit?.disable).toEqual(['AUDIT-040']);
    now += 10 * 60 * 1000;
    expect((await load()).config.audit?.disable).toEqual(['AUDIT-033']);
    rmSync(file);
    now += 10 * 60 * 1000;
    expect((await load()).config.audit?.disable).toEqual(['AUDIT-033']);
    await expect(configLoader(join(dir, 'missing.yaml'))()).rejects.toThrow();
    expect(await configLoader(undefined)()).toEqual({ config: {}, text: '' });
  });
});
