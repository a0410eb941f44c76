/** The S3 adapter of the vulnerability data store: `s3://bucket/prefix/` addresses a folder of keys. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { VulnDataStore } from './store.ts';

export interface S3Location {
  bucket: string;
  /** Empty, or ending with `/`. */
  prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri.trim());
  if (!m) throw new Error(`not an S3 URI: "${uri}" (expected s3://bucket/prefix/)`);
  const prefix = m[2] ?? '';
  return { bucket: m[1], prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

export class S3VulnDataStore implements VulnDataStore {
  readonly location: string;
  private readonly client: S3Client;

  constructor(
    private readonly where: S3Location,
    client?: S3Client,
  ) {
    this.location = `s3://${where.bucket}/${where.prefix}`;
    // A custom endpoint (moto, MinIO) serves buckets by path, not by virtual host name.
    this.client = client ?? new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.where.prefix + key }));
      if (!out.Body) return Buffer.alloc(0);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return null;
      throw e;
    }
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.where.bucket, Key: this.where.prefix + key, Body: body, ContentType: contentType }),
    );
  }
}
