// What the AWS API says about one account and region, and its translation into the cloud model
// the EKS-/ECR- rules read (the same rules that judge Terraform and CloudFormation).
import type { Cluster, Nodegroup } from '@aws-sdk/client-eks';
import type { RegistryScanningConfiguration, Repository } from '@aws-sdk/client-ecr';
import { decodePolicy } from '../iac/cloud/policy.ts';
import { liveSetting, type CloudSubject, type EcrRepository, type EksCluster, type EksNodegroup, type RegistryScanning } from '../iac/cloud/model.ts';

export interface LiveCluster {
  cluster: Cluster;
  nodegroups: Nodegroup[];
  /** A subscription filter on the cluster's log group delivers to the audit sink. */
  auditSinkSubscribed: boolean;
}

export interface LiveRepository {
  repository: Repository;
  /** The repository policy text; null when the repository has none. */
  policyText: string | null;
}

export interface RegionSnapshot {
  account: string;
  region: string;
  clusters: LiveCluster[];
  repositories: LiveRepository[];
  /** The registry's scanning configuration (null when the API returned none). */
  registryScanning: RegistryScanningConfiguration | null;
}

/** EKS writes control-plane logs to this log group. */
export const clusterLogGroup = (name: string) => `/aws/eks/${name}/cluster`;

/** Enabled control-plane log types. */
export function enabledLogTypes(cluster: Cluster): string[] {
  return (cluster.logging?.clusterLogging ?? []).filter((setup) => setup.enabled).flatMap((setup) => setup.types ?? []);
}

export function liveSubjects(snapshot: RegionSnapshot): { subjects: CloudSubject[]; problems: string[] } {
  const namespace = `${snapshot.account}/${snapshot.region}`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${snapshot.region}:${snapshot.account}:${resource}`;
  const subjects: CloudSubject[] = [];
  const problems: string[] = [];
  const base = (type: string, name: string, target: string) => ({ origin: 'aws' as const, target, file: null, line: null, type, name, namespace });

  for (const { cluster, nodegroups, auditSinkSubscribed } of snapshot.clusters) {
    const name = cluster.name ?? '?';
    const vpc = cluster.resourcesVpcConfig ?? {};
    const logTypes = enabledLogTypes(cluster);
    const eks: EksCluster = {
      ...base('AWS::EKS::Cluster', name, cluster.arn ?? arn('eks', `cluster/${name}`)),
      kind: 'eks-cluster',
      endpointPublicAccess: liveSetting('resourcesVpcConfig.endpointPublicAccess', vpc.endpointPublicAccess ?? true, vpc.endpointPublicAccess !== undefined),
      publicAccessCidrs: liveSetting('resourcesVpcConfig.publicAccessCidrs', vpc.publicAccessCidrs ?? null, vpc.publicAccessCidrs !== undefined),
      encryption: liveSetting('encryptionConfig', (cluster.encryptionConfig ?? []).map((e) => ({ resources: e.resources ?? [], keyArn: e.provider?.keyArn ?? null }))),
      logTypes: liveSetting('logging.clusterLogging', logTypes),
      version: liveSetting('version', cluster.version ?? null),
      auditSink: { auditLogEnabled: logTypes.includes('audit'), logGroup: clusterLogGroup(name), subscribed: auditSinkSubscribed },
    };
    subjects.push(eks);
    for (const nodegroup of nodegroups) {
      const remote = nodegroup.remoteAccess;
      const group: EksNodegroup = {
        ...base('AWS::EKS::Nodegroup', `${name}/${nodegroup.nodegroupName ?? '?'}`, nodegroup.nodegroupArn ?? arn('eks', `nodegroup/${name}/${nodegroup.nodegroupName}`)),
        kind: 'eks-nodegroup',
        remoteAccess: liveSetting(
          'remoteAccess',
          remote
            ? {
                sshKey: liveSetting('remoteAccess.ec2SshKey', remote.ec2SshKey || null),
                sourceSecurityGroups: liveSetting('remoteAccess.sourceSecurityGroups', remote.sourceSecurityGroups ?? null),
              }
            : null,
        ),
      };
      subjects.push(group);
    }
  }

  const registryScanning: RegistryScanning | null = snapshot.registryScanning
    ? {
        scanType: snapshot.registryScanning.scanType ?? 'BASIC',
        rules: (snapshot.registryScanning.rules ?? []).map((rule) => ({
          frequency: rule.scanFrequency ?? 'MANUAL',
          filters: (rule.repositoryFilters ?? []).map((f) => f.filter ?? ''),
        })),
      }
    : null;
  for (const { repository, policyText } of snapshot.repositories) {
    const name = repository.repositoryName ?? '?';
    const target = repository.repositoryArn ?? arn('ecr', `repository/${name}`);
    const ecr: EcrRepository = {
      ...base('AWS::ECR::Repository', name, target),
      kind: 'ecr-repository',
      repositoryName: name,
      tagMutability: liveSetting('imageTagMutability', repository.imageTagMutability ?? 'MUTABLE'),
      scanOnPush: liveSetting('imageScanningConfiguration.scanOnPush', repository.imageScanningConfiguration?.scanOnPush ?? false),
      registryScanning,
      encryption: liveSetting('encryptionConfiguration', { type: repository.encryptionConfiguration?.encryptionType ?? 'AES256', kmsKey: repository.encryptionConfiguration?.kmsKey ?? null }),
    };
    subjects.push(ecr);
    if (policyText === null) continue;
    const decoded = decodePolicy(policyText);
    if (!decoded.ok) problems.push(`${target}: ${decoded.error}`);
    else subjects.push({ ...base('AWS::ECR::Repository', name, target), kind: 'ecr-repository-policy', policy: liveSetting('repositoryPolicy', decoded.document) });
  }
  return { subjects, problems };
}
