// Runs the image checks on small synthetic images: each test writes an OCI layout from real
// files and reads it back through the same reader the CLI and the Lambdas use.
import type { ShipwatchConfig } from '../../../shared/config/config.ts';
import type { Finding } from '../../../shared/findings/finding.ts';
import { scanImage, type ImageScanResult } from '../../../shared/image/scan.ts';
import type { VulnDb } from '../../../shared/vuln/index-db.ts';
import { writeOciLayout, type ImageSpec, type LayoutOptions } from './build-image.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');

/** A base layer with the usual account files (root only, locked password). */
export const BASE_FILES = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/sbin/nologin\n',
  'etc/group': 'root:x:0:\napp:x:10001:\n',
  'etc/shadow': 'root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n',
  'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
};

/** Everything a well-behaved image does: non-root numeric user, healthcheck, provenance labels, fresh. */
export function goodImage(extra: Partial<ImageSpec> = {}): ImageSpec {
  return {
    created: '2026-02-20T00:00:00Z',
    config: {
      User: '10001:10001',
      Healthcheck: { Test: ['CMD', '/app/healthcheck'] },
      Labels: { 'org.opencontainers.image.source': 'https://github.com/example/app', 'org.opencontainers.image.revision': '0123456789abcdef' },
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
      ...extra.config,
    },
    layers: extra.layers ?? [{ createdBy: '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ', files: BASE_FILES }],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'config' && k !== 'layers')),
  };
}

export interface ScanSpecOptions {
  config?: ShipwatchConfig;
  layout?: LayoutOptions;
  vulnDb?: VulnDb | null;
  now?: Date;
}

export async function scanSpec(spec: ImageSpec | ImageSpec[], options: ScanSpecOptions = {}): Promise<ImageScanResult> {
  const { dir } = await writeOciLayout(spec, options.layout ?? { tag: '1.0.0' });
  return scanImage(dir, { now: options.now ?? NOW, config: options.config, vulnDb: options.vulnDb ?? null, layerCache: null });
}

export const ofRule = (result: { findings: Finding[] }, ruleId: string) => result.findings.filter((f) => f.ruleId === ruleId);
