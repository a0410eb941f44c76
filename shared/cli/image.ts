// `shipwatch image <ref|path>`: scans a registry reference, an OCI image layout folder or an image
// archive (`docker save`, `oci-archive`) with the same output formats and exit codes as `scan`.
import { existsSync, writeFileSync } from 'node:fs';
import { SEVERITIES } from '../findings/finding.ts';
import { parseImageRef } from '../iac/image-ref.ts';
import { ImageReadError } from '../image/limits.ts';
import { parseAllowedRegistries, RegistryNotAllowedError, type AllowedRegistry } from '../image/registry/allowlist.ts';
import { DEFAULT_VULN_DB_MAX_AGE_DAYS, scanImage } from '../image/scan.ts';
import { openVulnDb, type VulnDb } from '../vuln/index-db.ts';
import { readConfig } from './inputs.ts';
import { failing, FORMATS, oneOf, parse, render, type FailOn, type Format, type Io } from './main.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './usage.ts';

export async function imageCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'vuln-db': { type: 'string' },
    platform: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (positionals.length !== 1) throw new UsageError(`shipwatch image takes one image (a registry reference, an OCI layout folder or an archive), got ${positionals.length}`);
  const [source] = positionals;
  const format: Format = oneOf(values.format, FORMATS, '--format', 'table');
  const failOnFlag = values['fail-on'] === undefined ? undefined : oneOf(values['fail-on'], [...SEVERITIES, 'none'] as const, '--fail-on', 'high');
  const platforms = (values.platform ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  for (const p of platforms) if (!/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(p)) throw new UsageError(`--platform must look like os/arch[/variant] (got "${p}")`);

  const config = readConfig(values.config);
  const vulnDbLocation = values['vuln-db'] ?? env.SHIPWATCH_VULN_DB;
  const vulnDb = vulnDbLocation ? await openData(vulnDbLocation) : null;
  const maxAgeDays = Number(env.SHIPWATCH_VULN_DB_MAX_AGE_DAYS) || DEFAULT_VULN_DB_MAX_AGE_DAYS;

  const showProgress = !values.quiet && io.stderr.isTTY === true;
  if (showProgress) io.stderr.write(`reading ${source}...`);
  let result;
  try {
    result = await scanImage(source, { config, vulnDb, vulnDbMaxAgeDays: maxAgeDays, platforms: platforms.length ? platforms : undefined, registries: registriesFor(source, env) });
  } catch (e) {
    // Nothing could be read at all (a refused registry, a missing manifest, a malformed archive): an input error.
    if (e instanceof ImageReadError || e instanceof RegistryNotAllowedError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (showProgress) io.stderr.write('\r\x1b[K');
  }
  if (result.platforms.length > 0 && result.platforms.every((p) => p.status === 'failed')) {
    throw new UsageError(`no platform of ${source} could be read (${result.errors.map((e) => `${e.file}: ${e.message}`).join('; ')})`);
  }
  const failOn: FailOn = failOnFlag ?? config.failOn ?? 'high';
  const color = !values.output && io.stdout.isTTY === true && !env.NO_COLOR;
  const rendered = render(result, format, color, values.quiet === true);
  if (values.output) writeFileSync(values.output, rendered);
  else if (rendered) io.stdout.write(rendered);
  return failing(result.findings, failOn).length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

async function openData(location: string): Promise<VulnDb> {
  try {
    return await openVulnDb(location);
  } catch (e) {
    throw new UsageError(`--vuln-db: ${(e as Error).message}`);
  }
}

/**
 * `SHIPWATCH_REGISTRIES`, plus the registry of a reference typed on the command line (over HTTPS):
 * the person running the command chose it, so it is not a forged event. Plain HTTP still needs an
 * explicit `=http` entry.
 */
function registriesFor(source: string, env: NodeJS.ProcessEnv): AllowedRegistry[] {
  let allowed: AllowedRegistry[];
  try {
    allowed = parseAllowedRegistries(env.SHIPWATCH_REGISTRIES);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (existsSync(source)) return allowed;
  const host = parseImageRef(source).registry.toLowerCase();
  return allowed.some((r) => r.host === host) ? allowed : [...allowed, { host, scheme: 'https' }];
}
