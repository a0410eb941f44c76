// Terraform resources -> the cloud model, with the AWS provider's defaults for omitted arguments.
import { presentText, toBool, toText, toTextList } from '../convert.ts';
import { decodePolicy } from '../policy.ts';
import {
  isUnknown,
  UNKNOWN,
  type CloudSubject,
  type EcrRepository,
  type EksCluster,
  type Maybe,
  type RegistryScanning,
  type RemoteAccess,
  type SecretsEncryption,
  type Setting,
} from '../model.ts';
import { evaluateJson, JsonText, plainValue, type EvalScope, type HclValue } from './expression.ts';
import { nestedBlock, type HclBlockIndex } from './locate.ts';
import { labelledBlocks, type ModuleInstance, type TerraformFile } from './project.ts';

export interface ResourceProblem {
  file: string;
  line: number | null;
  message: string;
}

/** A block body with its position, and the field prefix its settings are named with. */
interface BlockView {
  body: Record<string, unknown>;
  index: HclBlockIndex | undefined;
  line: number;
  prefix: string;
}

const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

class ResourceReader {
  constructor(readonly scope: EvalScope) {}

  /** A setting: the evaluated attribute, or the provider default when it is omitted or null. */
  setting<T>(view: BlockView, name: string, convert: (v: HclValue) => Maybe<T>, fallback: T): Setting<T> {
    const field = view.prefix + name;
    const line = view.index?.attributes.get(name) ?? view.line;
    if (!Object.hasOwn(view.body, name)) return { value: fallback, field, explicit: false, line: view.line };
    const value = evaluateJson(view.body[name], this.scope);
    if (value === null) return { value: fallback, field, explicit: false, line };
    return { value: convert(value), field, explicit: true, line };
  }

  /** Nested blocks of a type; UNKNOWN when a `dynamic` block generates them. */
  blocks(view: BlockView, type: string): Maybe<BlockView[]> {
    if (asRecord(view.body.dynamic)[type] !== undefined) return UNKNOWN;
    const bodies = Array.isArray(view.body[type]) ? (view.body[type] as unknown[]) : [];
    return bodies.map((body, i) => {
      const index = nestedBlock(view.index, type, i);
      return { body: asRecord(body), index, line: index?.line ?? view.line, prefix: `${view.prefix}${type}.` };
    });
  }

  /** The first nested block of a type: null when absent, UNKNOWN when dynamic. */
  block(view: BlockView, type: string): Maybe<BlockView | null> {
    const list = this.blocks(view, type);
    return isUnknown(list) ? UNKNOWN : (list[0] ?? null);
  }
}

/** A block that is absent or dynamic, for a setting whose value the block decides. */
function blockSetting<T>(field: string, line: number, value: Maybe<T>): Setting<T> {
  return { value, field, explicit: !isUnknown(value) && value !== null, line };
}

/** The registry-level scanning configuration of one Terraform configuration (a root module and what it calls). */
export function registryScanningOf(file: TerraformFile, instance: ModuleInstance): RegistryScanning[] {
  const reader = new ResourceReader(instance.scope);
  const out: RegistryScanning[] = [];
  for (const [type, name, body] of labelledBlocks(file.json, 'resource')) {
    if (type !== 'aws_ecr_registry_scanning_configuration') continue;
    const view = resourceView(file, type, name, body);
    const rules = reader.blocks(view, 'rule');
    out.push({
      scanType: toText(evaluateJson(body.scan_type, instance.scope)),
      rules: isUnknown(rules)
        ? UNKNOWN
        : rules.map((rule) => {
            const filters = reader.blocks(rule, 'repository_filter');
            return {
              frequency: toText(evaluateJson(rule.body.scan_frequency, instance.scope)),
              filters: isUnknown(filters) ? UNKNOWN : filters.map((f) => toText(evaluateJson(f.body.filter, instance.scope))),
            };
          }),
    });
  }
  return out;
}

function resourceView(file: TerraformFile, type: string, name: string, body: Record<string, unknown>): BlockView {
  const index = file.index.blocks.find((b) => b.type === 'resource' && b.labels[0] === type && b.labels[1] === name);
  return { body, index, line: index?.line ?? 1, prefix: '' };
}

/**
 * The EKS and ECR resources of one file in one module instance. `registryScanning` is what the
 * instance's configuration declares at registry level (null when nothing).
 */
export function terraformSubjects(file: TerraformFile, instance: ModuleInstance, registryScanning: Maybe<RegistryScanning | null>, problems: ResourceProblem[]): CloudSubject[] {
  const reader = new ResourceReader(instance.scope);
  const out: CloudSubject[] = [];
  for (const [type, name, body] of labelledBlocks(file.json, 'resource')) {
    const view = resourceView(file, type, name, body);
    if (evaluateJson(body.count, instance.scope) === 0) continue;
    const base = { origin: 'terraform' as const, target: file.path, file: file.path, line: view.line, type, name, namespace: null };
    switch (type) {
      case 'aws_eks_cluster':
        out.push(eksCluster(reader, view, base));
        break;
      case 'aws_eks_node_group': {
        const remote = reader.block(view, 'remote_access');
        const remoteAccess: Maybe<RemoteAccess | null> =
          remote === null || isUnknown(remote)
            ? remote
            : {
                sshKey: reader.setting(remote, 'ec2_ssh_key', presentText, null),
                sourceSecurityGroups: reader.setting<Maybe<string>[] | null>(remote, 'source_security_group_ids', toTextList, null),
              };
        out.push({ ...base, kind: 'eks-nodegroup', remoteAccess: blockSetting('remote_access', remote && !isUnknown(remote) ? remote.line : view.line, remoteAccess) });
        break;
      }
      case 'aws_ecr_repository':
        out.push(ecrRepository(reader, view, base, registryScanning));
        break;
      case 'aws_ecr_repository_policy': {
        const policy = reader.setting<unknown>(view, 'policy', (v) => v, null);
        const decoded = decodeTerraformPolicy(policy.value);
        if (!decoded.ok) {
          problems.push({ file: file.path, line: policy.line, message: `${type}.${name}: ${decoded.error}` });
          break;
        }
        out.push({ ...base, kind: 'ecr-repository-policy', policy: { ...policy, value: decoded.document } });
        break;
      }
    }
  }
  return out;
}

function eksCluster(reader: ResourceReader, view: BlockView, base: Omit<EksCluster, 'kind' | 'endpointPublicAccess' | 'publicAccessCidrs' | 'encryption' | 'logTypes' | 'version'>): EksCluster {
  const vpc = reader.block(view, 'vpc_config');
  const vpcView: BlockView | null = vpc === null || isUnknown(vpc) ? null : vpc;
  const fromVpc = <T>(name: string, convert: (v: HclValue) => Maybe<T>, fallback: T): Setting<T> =>
    vpcView ? reader.setting(vpcView, name, convert, fallback) : { value: isUnknown(vpc) ? UNKNOWN : fallback, field: `vpc_config.${name}`, explicit: false, line: view.line };

  const encryptionBlocks = reader.blocks(view, 'encryption_config');
  const encryption: Maybe<SecretsEncryption[]> = isUnknown(encryptionBlocks)
    ? UNKNOWN
    : encryptionBlocks.map((block) => {
        const provider = reader.block(block, 'provider');
        return {
          resources: reader.setting<Maybe<string>[]>(block, 'resources', toTextList, []).value,
          keyArn: provider === null ? null : isUnknown(provider) ? UNKNOWN : reader.setting(provider, 'key_arn', presentText, null).value,
        };
      });
  const firstEncryption = isUnknown(encryptionBlocks) ? undefined : encryptionBlocks[0];

  return {
    ...base,
    kind: 'eks-cluster',
    endpointPublicAccess: fromVpc('endpoint_public_access', toBool, true),
    publicAccessCidrs: fromVpc<Maybe<string>[] | null>('public_access_cidrs', toTextList, null),
    encryption: { value: encryption, field: 'encryption_config', explicit: firstEncryption !== undefined, line: firstEncryption?.line ?? view.line },
    logTypes: reader.setting<Maybe<string>[]>(view, 'enabled_cluster_log_types', toTextList, []),
    version: reader.setting<string | null>(view, 'version', toText, null),
  };
}

function ecrRepository(
  reader: ResourceReader,
  view: BlockView,
  base: Omit<EcrRepository, 'kind' | 'repositoryName' | 'tagMutability' | 'scanOnPush' | 'registryScanning' | 'encryption'>,
  registryScanning: Maybe<RegistryScanning | null>,
): EcrRepository {
  const scanning = reader.block(view, 'image_scanning_configuration');
  const scanOnPush: Setting<boolean> =
    scanning === null || isUnknown(scanning)
      ? { value: isUnknown(scanning) ? UNKNOWN : false, field: 'image_scanning_configuration.scan_on_push', explicit: false, line: view.line }
      : reader.setting(scanning, 'scan_on_push', toBool, false);
  const encryptionBlock = reader.block(view, 'encryption_configuration');
  const encryption: Setting<{ type: Maybe<string>; kmsKey: Maybe<string | null> }> =
    encryptionBlock === null || isUnknown(encryptionBlock)
      ? { value: isUnknown(encryptionBlock) ? UNKNOWN : { type: 'AES256', kmsKey: null }, field: 'encryption_configuration', explicit: false, line: view.line }
      : (() => {
          const type = reader.setting(encryptionBlock, 'encryption_type', toText, 'AES256');
          const key = reader.setting(encryptionBlock, 'kms_key', presentText, null);
          return { value: { type: type.value, kmsKey: key.value }, field: type.explicit ? type.field : 'encryption_configuration', explicit: true, line: type.line };
        })();
  const name = evaluateJson(view.body.name, reader.scope);
  return {
    ...base,
    kind: 'ecr-repository',
    repositoryName: typeof name === 'string' ? name : UNKNOWN,
    tagMutability: reader.setting(view, 'image_tag_mutability', toText, 'MUTABLE'),
    scanOnPush,
    registryScanning,
    encryption,
  };
}

/** A policy attribute: JSON text (literal or heredoc), a `jsonencode(...)` value, or unresolved. */
function decodeTerraformPolicy(value: unknown): { ok: true; document: unknown } | { ok: false; error: string } {
  if (isUnknown(value)) return { ok: true, document: UNKNOWN };
  if (value instanceof JsonText) return { ok: true, document: plainValue(value.value) };
  if (typeof value === 'string') return decodePolicy(value);
  return { ok: true, document: plainValue(value as HclValue) };
}
