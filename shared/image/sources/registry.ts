/**
 * Images from a registry (`host[:port]/repo:tag` or `@digest`): only registries on the allowlist
 * are contacted, ECR manifests come from `BatchGetImage` and every blob from the Distribution API.
 */
import { parseImageRef } from '../../iac/image-ref.ts';
import { ImageReadError } from '../limits.ts';
import type { Descriptor, FetchedManifest } from '../manifest.ts';
import { allowedRegistry, quote, type AllowedRegistry } from '../registry/allowlist.ts';
import { RegistryClient } from '../registry/client.ts';
import { chainCredentials, type CredentialsProvider } from '../registry/credentials.ts';
import { defaultEcrClient, ecrCredentials, ecrManifest, parseEcrHost, type EcrClientFactory } from '../registry/ecr.ts';
import type { ImageStore, RootManifest } from './store.ts';

export interface RegistrySourceOptions {
  registries: readonly AllowedRegistry[];
  credentials?: CredentialsProvider;
  /** ECR API clients per region (manifests and tokens for ECR hosts); null reads ECR like any registry. */
  ecr?: EcrClientFactory | null;
  /** API base URLs for registries served elsewhere (pull-through mirrors), by registry host. */
  mirrors?: Record<string, string>;
  maxManifestBytes: number;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses and checks a registry reference; refuses registries not on the allowlist before any request. */
export function registryStore(reference: string, options: RegistrySourceOptions): ImageStore {
  const ref = parseImageRef(reference);
  if (!REPOSITORY.test(ref.repository)) throw new ImageReadError(`${quote(reference)}: invalid repository name`);
  if (ref.tag !== null && !TAG.test(ref.tag)) throw new ImageReadError(`${quote(reference)}: invalid tag`);
  if (ref.digest !== null && !DIGEST.test(ref.digest)) throw new ImageReadError(`${quote(reference)}: invalid or unsupported digest`);
  const registry = allowedRegistry(options.registries, ref.registry);
  const ecr = options.ecr === null ? null : parseEcrHost(ref.registry);
  const ecrClients = options.ecr ?? defaultEcrClient;
  const credentials = ecr ? chainCredentials(...(options.credentials ? [options.credentials] : []), ecrCredentials(ecrClients)) : options.credentials;
  const client = new RegistryClient(registry, { credentials, baseUrl: options.mirrors?.[registry.host], maxManifestBytes: options.maxManifestBytes });
  const tag = ref.tag ?? (ref.digest ? null : 'latest');

  const manifest = (reference: string): Promise<FetchedManifest> =>
    ecr ? ecrManifest(ecrClients(ecr.region), ecr, ref.repository, reference) : client.manifest(ref.repository, reference);

  return {
    remote: true,
    name: `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${tag}`}`,
    async roots(): Promise<RootManifest[]> {
      const root = await manifest(ref.digest ?? tag!);
      return [{ manifest: root, digest: root.digest, registry: ref.registry, repository: ref.repository, tag }];
    },
    manifest: (descriptor: Descriptor) => manifest(descriptor.digest),
    blob: (descriptor: Descriptor, signal?: AbortSignal) => client.blob(ref.repository, descriptor.digest, signal),
  };
}
