import { describe, expect, it } from 'vitest';
import { located, ruleIds, scanFixtures, scanOne } from './fixtures.ts';

describe('CloudFormation YAML: every EKS-/ECR- rule on a template that leaves everything at its default', () => {
  const file = 'cloudformation/insecure.yaml';
  const result = scanFixtures([file]);

  it('fires each rule once, at the property (or the nearest written parent when it is omitted)', () => {
    expect(result.errors).toEqual([]);
    expect(located(result.findings)).toEqual(
      [
        `EKS-001@${file}:10`, // ResourcesVpcConfig without EndpointPublicAccess (omitted means true)
        `EKS-002@${file}:10`, // ... and without PublicAccessCidrs
        `EKS-003@${file}:6`, // no EncryptionConfig
        `EKS-004@${file}:6`, // no Logging
        `EKS-006@${file}:8`, // Version "1.28"
        `EKS-005@${file}:18`, // RemoteAccess with a key and no SourceSecurityGroups
        `ECR-001@${file}:22`,
        `ECR-002@${file}:22`,
        `ECR-004@${file}:22`,
        `ECR-003@${file}:24`, // Principal {AWS: "*"}
      ].sort(),
    );
  });

  it('names the logical id and the CloudFormation type, and the property in the message', () => {
    const eks001 = result.findings.find((f) => f.ruleId === 'EKS-001')!;
    expect(eks001.resource).toEqual({ apiVersion: null, kind: 'AWS::EKS::Cluster', namespace: null, name: 'Cluster' });
    expect(eks001.message).toContain('ResourcesVpcConfig.EndpointPublicAccess is not set (the default is true)');
    expect(result.findings.find((f) => f.ruleId === 'EKS-005')!.resource?.name).toBe('Workers');
  });
});

describe('CloudFormation: a hardened template', () => {
  it('has no EKS-/ECR- findings and no "not a Kubernetes object" noise', () => {
    const result = scanFixtures(['cloudformation/hardened.yaml']);
    expect(result.errors).toEqual([]);
    expect(result.notices).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe('CloudFormation JSON', () => {
  it('reads explicit values, a policy given as a JSON string, and KMS without a key', () => {
    const file = 'cloudformation/insecure.json';
    const result = scanFixtures([file]);
    expect(result.errors).toEqual([]);
    expect(located(result.findings)).toEqual(
      [`EKS-001@${file}:10`, `EKS-002@${file}:11`, `EKS-003@${file}:6`, `EKS-004@${file}:13`, `ECR-001@${file}:19`, `ECR-002@${file}:20`, `ECR-004@${file}:21`, `ECR-003@${file}:22`].sort(),
    );
    expect(result.findings.find((f) => f.ruleId === 'EKS-004')!.message).toContain('lacks authenticator, controllerManager, scheduler');
    expect(result.findings.find((f) => f.ruleId === 'ECR-004')!.message).toContain('managed key');
  });
});

describe('CloudFormation intrinsic functions', () => {
  const file = 'cloudformation/intrinsics.yaml';
  const result = scanFixtures([file]);

  it('resolves parameter defaults, mappings, conditions and AWS::NoValue; what depends on the deployment is unknown', () => {
    expect(result.errors).toEqual([]);
    expect(located(result.findings)).toEqual(
      [
        // Cluster: version from Mappings; EndpointPublicAccess !If on a condition over a parameter default (false).
        `EKS-006@${file}:24`,
        `EKS-003@${file}:22`,
        `EKS-004@${file}:22`,
        // UnknownCluster: version from a pseudo parameter and a condition on a parameter without default: unknown.
        `EKS-003@${file}:30`,
        `EKS-004@${file}:30`,
        // DefaultedCluster: !If picks AWS::NoValue, so the default (public) applies.
        `EKS-001@${file}:42`,
        `EKS-002@${file}:40`,
        `EKS-003@${file}:38`,
        `EKS-004@${file}:38`,
        // Repository: ImageTagMutability from a parameter default (IMMUTABLE); ScanOnPush from a missing parameter (unknown).
        `ECR-004@${file}:45`,
      ].sort(),
    );
  });

  it('handles !Sub, !Join, !Select, !Split, !Not, !And, !Or and !Condition', () => {
    const template = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Minor: { Type: String, Default: "30" }
  Flags: { Type: CommaDelimitedList, Default: "true,false" }
Conditions:
  A: !Equals [!Select [0, !Ref Flags], "true"]
  B: !Not [!Condition A]
  Both: !And [!Condition A, !Condition B]
  Either: !Or [!Condition A, !Condition B]
Resources:
  Old:
    Type: AWS::EKS::Cluster
    Properties:
      Version: !Sub "1.\${Minor}"
      ResourcesVpcConfig:
        EndpointPublicAccess: !If [Both, true, false]
        PublicAccessCidrs: !Split [",", !Join [",", ["10.0.0.0/8", "0.0.0.0/0"]]]
      EncryptionConfig: [{ Resources: [secrets], Provider: { KeyArn: !Sub "arn:aws:kms:\${AWS::Region}:111122223333:key/k" } }]
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: api }, { Type: audit }, { Type: authenticator }, { Type: controllerManager }, { Type: scheduler }] } }
  Gone:
    Type: AWS::ECR::Repository
    Condition: B
  Literal:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !Sub "\${!NotAParameter}"
      ImageScanningConfiguration: { ScanOnPush: !If [Either, true, false] }
      EncryptionConfiguration: { EncryptionType: KMS, KmsKey: alias/ecr }
`;
    const r = scanOne('stack.yaml', template);
    expect(r.errors).toEqual([]);
    expect(r.findings.map((f) => `${f.ruleId}/${f.resource?.name}`).sort()).toEqual(['ECR-001/Literal', 'EKS-006/Old']);
    expect(r.findings.find((f) => f.ruleId === 'ECR-001')!.message).toContain('${NotAParameter}');
  });

  it('ECR-002 is satisfied by an AWS::ECR::RegistryScanningConfiguration with enhanced scanning in the same template', () => {
    const template = (scanType: string, filter: string) => `
Resources:
  Registry:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: ${scanType}
      Rules:
        - ScanFrequency: SCAN_ON_PUSH
          RepositoryFilters: [{ Filter: "${filter}", FilterType: WILDCARD }]
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: team/app
      ImageTagMutability: IMMUTABLE
      EncryptionConfiguration: { EncryptionType: KMS, KmsKey: alias/ecr }
`;
    expect(scanOne('t.yaml', template('ENHANCED', 'team/*')).findings).toEqual([]);
    expect(ruleIds(scanOne('t.yaml', template('ENHANCED', 'other/*')).findings)).toEqual(['ECR-002']);
    expect(ruleIds(scanOne('t.yaml', template('BASIC', '*')).findings)).toEqual(['ECR-002']);
  });
});

describe('CloudFormation recognition', () => {
  it('takes a template without AWSTemplateFormatVersion by its Resources, including SAM templates', () => {
    const sam = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: MUTABLE\n';
    const r = scanOne('template.yml', sam);
    expect(r.errors).toEqual([]);
    expect(ruleIds(r.findings)).toEqual(['ECR-001', 'ECR-002', 'ECR-004']);
  });

  it('leaves Kubernetes manifests that merely mention AWS:: types to the Kubernetes rules', () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  template: |\n    Type: AWS::ECR::Repository\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n';
    const r = scanOne('k8s.yaml', manifest);
    expect(r.errors).toEqual([]);
    expect(r.findings.some((f) => f.ruleId.startsWith('K8S-'))).toBe(true);
    expect(r.findings.some((f) => /^(?:EKS|ECR)-/.test(f.ruleId))).toBe(false);
  });

  it('reports a broken template once, with its line, instead of Kubernetes parse noise', () => {
    const broken = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties: [unclosed\n';
    const r = scanOne('broken.yaml', broken);
    expect(r.findings).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'broken.yaml' });
    expect(r.errors[0].message).toMatch(/^invalid template/);
  });

  it('reports a repository policy that is not JSON as an error, not a finding', () => {
    const r = scanOne('t.yaml', 'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: IMMUTABLE\n      RepositoryPolicyText: "{not json"\n');
    expect(r.errors).toEqual([{ file: 't.yaml', line: 6, message: expect.stringContaining('Repo: the policy is not valid JSON') }]);
    expect(r.findings.some((f) => f.ruleId === 'ECR-003')).toBe(false);
  });

  it('caps alias expansion', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    const bomb = `AWSTemplateFormatVersion: "2010-09-09"\n${lines.join('\n')}\nResources: {}\n`;
    const r = scanOne('bomb.yaml', bomb);
    expect(r.findings).toEqual([]);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(/more than \d+ nodes/);
  });
});
