// Where the audit sink reads its `.shipwatch.yaml` (the `audit:` section), named by
// SHIPWATCH_AUDIT_CONFIG: `s3://bucket/key` or `ssm:/parameter/name` in AWS, or a file path for
// `shipwatch serve`. Read again after a few minutes, so a change applies without a redeploy.
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseConfig, type ShipwatchConfig } from '../../config/config.ts';

const REFRESH_MS = 5 * 60 * 1000;

export type ConfigLocation = { kind: 's3'; bucket: string; key: string } | { kind: 'ssm'; name: string } | { kind: 'file'; path: string };

export function parseConfigLocation(location: string): ConfigLocation {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (s3) return { kind: 's3', bucket: s3[1], key: s3[2] };
  if (location.startsWith('s3:')) throw new Error(`SHIPWATCH_AUDIT_CONFIG: expected s3://bucket/key, got "${location.slice(0, 200)}"`);
  const ssm = /^ssm:(.+)$/.exec(location);
  if (ssm) return { kind: 'ssm', name: ssm[1] };
  return { kind: 'file', path: location };
}

export async function readConfigText(location: ConfigLocation): Promise<string> {
  if (location.kind === 's3') {
    // Local endpoints (moto, MinIO) answer path-style only.
    const out = await new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) }).send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return (await out.Body?.transformToString('utf8')) ?? '';
  }
  if (location.kind === 'file') return readFile(location.path, 'utf8');
  const out = await new SSMClient({}).send(new GetParameterCommand({ Name: location.name, WithDecryption: true }));
  return out.Parameter?.Value ?? '';
}

export interface LoadedConfig {
  config: ShipwatchConfig;
  /** The text it was parsed from: equal text, equal configuration. */
  text: string;
}

/**
 * A cached loader: without a location the configuration is empty (catalog defaults). A read that
 * fails after a good one keeps the last good configuration; the first read failing throws (the
 * invocation fails and is retried instead of running with the wrong exceptions).
 */
export function configLoader(location: string | undefined, clock: () => number = Date.now): () => Promise<LoadedConfig> {
  if (!location) {
    const empty: LoadedConfig = { config: {}, text: '' };
    return async () => empty;
  }
  const where = parseConfigLocation(location);
  let cached: { loaded: LoadedConfig; at: number } | null = null;
  return async () => {
    if (cached && clock() - cached.at < REFRESH_MS) return cached.loaded;
    try {
      const text = await readConfigText(where);
      cached = { loaded: cached?.loaded.text === text ? cached.loaded : { config: parseConfig(text, location), text }, at: clock() };
    } catch (e) {
      if (!cached) throw e;
      cached = { loaded: cached.loaded, at: clock() };
    }
    return cached.loaded;
  };
}
