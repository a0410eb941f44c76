/**
 * Amazon ECR through the same client: registry credentials from `GetAuthorizationToken` (a Basic
 * `AWS:<password>` pair valid for 12 hours, cached until shortly before it expires) and manifests
 * from `BatchGetImage` (one IAM-authorised call, no token dance); layers still come from the
 * registry API with those credentials.
 */
import { BatchGetImageCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ImageReadError } from '../limits.ts';
import { MANIFEST_ACCEPT, sha256Digest, type FetchedManifest } from '../manifest.ts';
import type { CredentialsProvider, RegistryCredentials } from './credentials.ts';

export interface EcrRegistry {
  accountId: string;
  region: string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → its account and region; null for other hosts. */
export function parseEcrHost(host: string): EcrRegistry | null {
  const m = ECR_HOST.exec(host.toLowerCase());
  return m ? { accountId: m[1], region: m[2] } : null;
}

export type EcrClientFactory = (region: string) => ECRClient;

const clients = new Map<string, ECRClient>();
export const defaultEcrClient: EcrClientFactory = (region) => {
  let client = clients.get(region);
  if (!client) clients.set(region, (client = new ECRClient({ region })));
  return client;
};

/** Credentials for ECR hosts (null for any other registry), from `GetAuthorizationToken`. */
export function ecrCredentials(clientFor: EcrClientFactory = defaultEcrClient): CredentialsProvider {
  const cache = new Map<string, { credentials: RegistryCredentials; renewAt: number }>();
  return async (registry) => {
    const ecr = parseEcrHost(registry);
    if (!ecr) return null;
    const cached = cache.get(registry);
    if (cached && cached.renewAt > Date.now()) return cached.credentials;
    const answer = await clientFor(ecr.region).send(new GetAuthorizationTokenCommand({ registryIds: [ecr.accountId] }));
    const data = answer.authorizationData?.[0];
    const decoded = data?.authorizationToken ? Buffer.from(data.authorizationToken, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ImageReadError(`ECR returned no usable authorization token for ${registry}`);
    const credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    const expiresAt = data?.expiresAt ? data.expiresAt.getTime() : Date.now() + 3600_000;
    cache.set(registry, { credentials, renewAt: expiresAt - 5 * 60_000 });
    return credentials;
  };
}

/** A manifest by tag or digest through `BatchGetImage`. */
export async function ecrManifest(client: ECRClient, ecr: EcrRegistry, repository: string, reference: string): Promise<FetchedManifest> {
  const byDigest = reference.includes(':');
  const answer = await client.send(
    new BatchGetImageCommand({
      registryId: ecr.accountId,
      repositoryName: repository,
      imageIds: [byDigest ? { imageDigest: reference } : { imageTag: reference }],
      acceptedMediaTypes: MANIFEST_ACCEPT,
    }),
  );
  const image = answer.images?.[0];
  if (!image?.imageManifest) {
    const failure = answer.failures?.[0];
    const reason = failure ? `${failure.failureCode ?? ''} ${failure.failureReason ?? ''}`.trim() : 'no image returned';
    throw new ImageReadError(`manifest ${repository}${byDigest ? '@' : ':'}${reference} not found in ECR ${ecr.accountId}/${ecr.region} (${reason})`);
  }
  const bytes = Buffer.from(image.imageManifest, 'utf8');
  return {
    mediaType: image.imageManifestMediaType ?? '',
    digest: image.imageId?.imageDigest ?? (byDigest ? reference : sha256Digest(bytes)),
    bytes,
  };
}
