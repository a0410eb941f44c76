import { describe, expect, it } from 'vitest';
import { scanSources } from '../../shared/scan/engine.ts';
import { fixtureFiles, located, ruleIds, scanFixtures, scanOne } from './fixtures.ts';

const CLUSTER = 'terraform/modules/cluster/main.tf';

describe('Terraform: every EKS-/ECR- rule on a configuration that leaves everything at its default', () => {
  const result = scanFixtures(['terraform/insecure']);
  const file = 'terraform/insecure/main.tf';

  it('fires each rule once, at the setting (or the block that omits it)', () => {
    expect(result.errors).toEqual([]);
    expect(located(result.findings.filter((f) => /^(?:EKS|ECR)-/.test(f.ruleId)))).toEqual(
      [
        `EKS-001@${file}:7`, // vpc_config without endpoint_public_access (default true)
        `EKS-002@${file}:7`, // ... and without public_access_cidrs
        `EKS-003@${file}:2`, // no encryption_config
        `EKS-004@${file}:2`, // no enabled_cluster_log_types
        `EKS-006@${file}:5`, // version = "1.28"
        `EKS-005@${file}:17`, // remote_access with a key and no source security groups
        `ECR-001@${file}:28`, // image_tag_mutability defaults to MUTABLE
        `ECR-002@${file}:28`, // no image_scanning_configuration
        `ECR-004@${file}:28`, // encryption defaults to AES256
        `ECR-003@${file}:34`, // jsonencode policy with Principal "*"
      ].sort(),
    );
  });

  it('names the resource, the source and the default in the finding', () => {
    const eks001 = result.findings.find((f) => f.ruleId === 'EKS-001')!;
    expect(eks001).toMatchObject({
      source: 'iac',
      severity: 'high',
      resource: { apiVersion: null, kind: 'aws_eks_cluster', namespace: null, name: 'insecure' },
      compliance: ['CIS-EKS 5.4.2', 'PCI-DSS 1.3.1'],
    });
    expect(eks001.message).toContain('vpc_config.endpoint_public_access is not set (the default is true)');
    expect(result.findings.find((f) => f.ruleId === 'ECR-003')!.message).toContain('"PullFromAnywhere"');
    expect(result.findings.find((f) => f.ruleId === 'EKS-002')!.severity).toBe('critical');
  });
});

describe('Terraform: a hardened configuration', () => {
  it('has no EKS-/ECR- findings (references to keys and security groups count as set)', () => {
    const result = scanFixtures(['terraform/hardened']);
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});

describe('Terraform: module instances get their variables from the calling module', () => {
  it('prod passes public_endpoint = false and a supported version: nothing fires in the module', () => {
    const result = scanFixtures(['terraform/modules/live/prod', 'terraform/modules/cluster']);
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('dev keeps the module default (public) and opens it to 0.0.0.0/0 on an old version: findings in the module file', () => {
    const result = scanFixtures(['terraform/modules/live/dev', 'terraform/modules/cluster']);
    expect(located(result.findings)).toEqual([`EKS-001@${CLUSTER}:32`, `EKS-002@${CLUSTER}:33`, `EKS-006@${CLUSTER}:27`].sort());
    expect(result.findings.find((f) => f.ruleId === 'EKS-006')!.message).toContain('Kubernetes 1.30');
  });

  it('staging passes values nobody knows before plan: unknown, never a finding', () => {
    const result = scanFixtures(['terraform/modules/live/staging', 'terraform/modules/cluster']);
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('a module scanned on its own is its own root: defaults apply, a variable without default is unknown', () => {
    const result = scanFixtures(['terraform/modules/cluster']);
    // public_endpoint defaults to true; allowed_cidrs defaults to 10.0.0.0/8; kubernetes_version has no default.
    expect(located(result.findings)).toEqual([`EKS-001@${CLUSTER}:32`]);
  });

  it('all environments together report each module finding once', () => {
    const result = scanFixtures(['terraform/modules']);
    expect(located(result.findings)).toEqual([`EKS-001@${CLUSTER}:32`, `EKS-002@${CLUSTER}:33`, `EKS-006@${CLUSTER}:27`].sort());
  });

  it('PR scans: unchanged files of the repository give the changed module its callers (context files)', () => {
    const changed = fixtureFiles('terraform/modules/cluster');
    const result = scanSources(changed, { contextFiles: fixtureFiles('terraform/modules/live/prod') });
    expect(result.findings).toEqual([]);
    // Context files are never reported on.
    const reversed = scanSources(fixtureFiles('terraform/modules/live/dev'), { contextFiles: changed });
    expect(reversed.findings).toEqual([]);
  });
});

describe('Terraform: variable values', () => {
  it('terraform.tfvars overrides a default in the root module', () => {
    expect(scanFixtures(['terraform/tfvars']).findings.map((f) => f.ruleId)).not.toContain('EKS-001');
    const withoutTfvars = scanFixtures(['terraform/tfvars/main.tf']);
    expect(located(withoutTfvars.findings.filter((f) => f.ruleId === 'EKS-001' || f.ruleId === 'EKS-002'))).toEqual(['EKS-001@terraform/tfvars/main.tf:15', 'EKS-002@terraform/tfvars/main.tf:16']);
  });

  it('resolves ${var.x} interpolations, locals, conditionals and null (the default applies)', () => {
    const text = `
variable "env" { default = "prod" }
variable "mutability" { default = null }
locals {
  immutable = var.env == "prod" ? "IMMUTABLE" : "MUTABLE"
  name      = "\${var.env}-images"
}
resource "aws_ecr_repository" "a" {
  name                 = local.name
  image_tag_mutability = local.immutable
}
resource "aws_ecr_repository" "b" {
  name                 = "b"
  image_tag_mutability = var.mutability
}
`;
    const result = scanOne('main.tf', text);
    expect(result.errors).toEqual([]);
    const ecr001 = result.findings.filter((f) => f.ruleId === 'ECR-001');
    expect(ecr001.map((f) => [f.resource?.name, f.location?.line])).toEqual([['b', 14]]);
    expect(ecr001[0].message).toContain('image_tag_mutability is not set (the default is MUTABLE)');
  });

  it('does not report what depends on an unknown value: undeclared or default-less variables, resource attributes, count.index', () => {
    const text = `
variable "public" {}
resource "aws_eks_cluster" "a" {
  name     = "a"
  role_arn = "arn"
  version  = var.version_without_declaration
  enabled_cluster_log_types = var.log_types
  vpc_config {
    subnet_ids             = ["s"]
    endpoint_public_access = var.public
  }
  encryption_config {
    resources = [var.what]
    provider { key_arn = "k" }
  }
}
resource "aws_ecr_repository" "r" {
  name                 = "r-\${count.index}"
  count                = 2
  image_tag_mutability = aws_ssm_parameter.mutability.value
  image_scanning_configuration {
    scan_on_push = data.aws_ssm_parameter.scan.value == "yes"
  }
  encryption_configuration {
    encryption_type = var.encryption
  }
}
`;
    const result = scanOne('main.tf', text);
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('skips resources with count = 0 and treats dynamic blocks as unknown', () => {
    const text = `
resource "aws_ecr_repository" "off" {
  count = 0
  name  = "off"
}
resource "aws_eks_cluster" "dyn" {
  name     = "dyn"
  role_arn = "arn"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  dynamic "vpc_config" {
    for_each = [1]
    content { subnet_ids = ["s"] }
  }
  dynamic "encryption_config" {
    for_each = var.kms == null ? [] : [1]
    content {
      resources = ["secrets"]
      provider { key_arn = var.kms }
    }
  }
}
`;
    expect(scanOne('main.tf', text).findings).toEqual([]);
  });
});

describe('Terraform: rule details', () => {
  const cluster = (vpc: string, extra = '') => `
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  encryption_config {
    resources = ["secrets"]
    provider { key_arn = "arn:aws:kms:us-east-1:111122223333:key/k" }
  }
  vpc_config {
    subnet_ids = ["s"]
${vpc}
  }
${extra}
}
`;

  it('EKS-001 fires for a public endpoint, EKS-002 only when it is open to everyone', () => {
    expect(ruleIds(scanOne('main.tf', cluster('endpoint_public_access = true\npublic_access_cidrs = ["203.0.113.0/24"]')).findings)).toEqual(['EKS-001']);
    expect(ruleIds(scanOne('main.tf', cluster('public_access_cidrs = ["203.0.113.0/24", "0.0.0.0/0"]')).findings)).toEqual(['EKS-001', 'EKS-002']);
    expect(ruleIds(scanOne('main.tf', cluster('public_access_cidrs = []')).findings)).toEqual(['EKS-001', 'EKS-002']);
    expect(ruleIds(scanOne('main.tf', cluster('endpoint_public_access = "false"')).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', cluster('public_access_cidrs = ["10.0.0.0/8", var.extra]')).findings)).toEqual(['EKS-001']);
  });

  it('EKS-003 needs "secrets" and a key; EKS-004 names the missing log types', () => {
    const noKey = `
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn"
  enabled_cluster_log_types = ["api", "audit"]
  vpc_config {
    subnet_ids             = ["s"]
    endpoint_public_access = false
  }
  encryption_config {
    resources = ["secrets"]
  }
}
`;
    const result = scanOne('main.tf', noKey);
    expect(located(result.findings)).toEqual(['EKS-003@main.tf:10', 'EKS-004@main.tf:5']);
    expect(result.findings.find((f) => f.ruleId === 'EKS-004')!.message).toContain('lacks authenticator, controllerManager, scheduler');
    const otherResources = noKey.replace('resources = ["secrets"]', 'resources = ["configmaps"]\n    provider { key_arn = "k" }');
    expect(ruleIds(scanOne('main.tf', otherResources).findings)).toEqual(['EKS-003', 'EKS-004']);
  });

  it('EKS-005 is quiet without a key or with source security groups', () => {
    const nodegroup = (remote: string) => `resource "aws_eks_node_group" "n" {\n  cluster_name = "c"\n${remote}\n}\n`;
    expect(ruleIds(scanOne('main.tf', nodegroup('  remote_access {\n    ec2_ssh_key = "ops"\n    source_security_group_ids = []\n  }')).findings)).toEqual(['EKS-005']);
    expect(ruleIds(scanOne('main.tf', nodegroup('  remote_access {\n    ec2_ssh_key = "ops"\n    source_security_group_ids = ["sg-1"]\n  }')).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', nodegroup('  remote_access {\n    source_security_group_ids = []\n  }')).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', nodegroup('')).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', nodegroup('  remote_access {\n    ec2_ssh_key = var.key\n  }')).findings)).toEqual([]);
  });

  it('EKS-006 compares with ruleOptions.EKS-006.oldestSupportedVersion; an omitted version is the current default', () => {
    const versioned = (v: string) => cluster('endpoint_public_access = false', `  version = ${v}`);
    expect(ruleIds(scanOne('main.tf', versioned('"1.31"')).findings)).toEqual(['EKS-006']);
    expect(ruleIds(scanOne('main.tf', versioned('"1.32"')).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', versioned('"1.32"'), { config: { ruleOptions: { 'EKS-006': { oldestSupportedVersion: '1.33' } } } }).findings)).toEqual(['EKS-006']);
    expect(ruleIds(scanOne('main.tf', versioned('"1.9"'), { config: { ruleOptions: { 'EKS-006': { oldestSupportedVersion: 1.1 } } } }).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', cluster('endpoint_public_access = false')).findings)).toEqual([]);
    expect(() => scanOne('main.tf', versioned('"1.31"'), { config: { ruleOptions: { 'EKS-006': { oldestSupportedVersion: 'latest' } } } })).toThrow(/ruleOptions\.EKS-006\.oldestSupportedVersion/);
  });

  it('ECR-002 is satisfied by registry-level enhanced scanning that covers the repository', () => {
    const repo = (name: string, registry: string) => `
resource "aws_ecr_repository" "r" {
  name                 = "${name}"
  image_tag_mutability = "IMMUTABLE"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:us-east-1:111122223333:key/k"
  }
}
${registry}
`;
    const enhanced = (filter: string, type = 'ENHANCED') => `
resource "aws_ecr_registry_scanning_configuration" "registry" {
  scan_type = "${type}"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "${filter}"
      filter_type = "WILDCARD"
    }
  }
}
`;
    expect(ruleIds(scanOne('main.tf', repo('team/app', '')).findings)).toEqual(['ECR-002']);
    expect(ruleIds(scanOne('main.tf', repo('team/app', enhanced('*'))).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', repo('team/app', enhanced('team/*'))).findings)).toEqual([]);
    expect(ruleIds(scanOne('main.tf', repo('other/app', enhanced('team/*'))).findings)).toEqual(['ECR-002']);
    expect(ruleIds(scanOne('main.tf', repo('team/app', enhanced('*', 'BASIC'))).findings)).toEqual(['ECR-002']);
    // In another file of the same module (folder), it still applies.
    expect(scanSources([{ path: 'infra/ecr.tf', text: repo('team/app', '') }, { path: 'infra/registry.tf', text: enhanced('*') }]).findings).toEqual([]);
  });

  it('ECR-003 reads JSON heredocs, jsonencode values and aws_iam_policy_document, and honours restricting conditions', () => {
    const policy = (body: string) => `resource "aws_ecr_repository_policy" "p" {\n  repository = "r"\n  policy = ${body}\n}\n`;
    const heredoc = policy('<<EOF\n{"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "ecr:*"}]}\nEOF');
    expect(located(scanOne('main.tf', heredoc).findings)).toEqual(['ECR-003@main.tf:3']);
    const orgOnly = policy('jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:*", Condition = { StringEquals = { "aws:PrincipalOrgID" = var.org } } }] })');
    expect(scanOne('main.tf', orgOnly).findings).toEqual([]);
    const transportOnly = policy('jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:*", Condition = { Bool = { "aws:SecureTransport" = "true" } } }] })');
    expect(ruleIds(scanOne('main.tf', transportOnly).findings)).toEqual(['ECR-003']);
    const ifExists = policy('jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:*", Condition = { StringEqualsIfExists = { "aws:PrincipalOrgID" = "o-1" } } }] })');
    expect(ruleIds(scanOne('main.tf', ifExists).findings)).toEqual(['ECR-003']);
    const deny = policy('jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "ecr:*" }] })');
    expect(scanOne('main.tf', deny).findings).toEqual([]);
    const accountOnly = policy('jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "ecr:*" }] })');
    expect(scanOne('main.tf', accountOnly).findings).toEqual([]);
    const unknownPrincipal = policy('jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = var.who }, Action = "ecr:*" }] })');
    expect(scanOne('main.tf', unknownPrincipal).findings).toEqual([]);
    const fromData = `
data "aws_iam_policy_document" "open" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions = ["ecr:BatchGetImage"]
  }
}
${policy('data.aws_iam_policy_document.open.json')}`;
    expect(ruleIds(scanOne('main.tf', fromData).findings)).toEqual(['ECR-003']);
    expect(scanOne('main.tf', policy('data.aws_iam_policy_document.elsewhere.json')).findings).toEqual([]);
  });

  it('ECR-004 wants KMS with a key (KMS_DSSE counts); KMS without a key is the AWS managed key', () => {
    const repo = (encryption: string) => `resource "aws_ecr_repository" "r" {\n  name = "r"\n  image_tag_mutability = "IMMUTABLE"\n  image_scanning_configuration { scan_on_push = true }\n${encryption}\n}\n`;
    const result = scanOne('main.tf', repo('  encryption_configuration {\n    encryption_type = "KMS"\n  }'));
    expect(located(result.findings)).toEqual(['ECR-004@main.tf:6']);
    expect(result.findings[0].message).toContain('AWS uses its managed key');
    expect(scanOne('main.tf', repo('  encryption_configuration {\n    encryption_type = "KMS_DSSE"\n    kms_key = "k"\n  }')).findings).toEqual([]);
    expect(ruleIds(scanOne('main.tf', repo('  encryption_configuration {\n    encryption_type = "AES256"\n  }')).findings)).toEqual(['ECR-004']);
  });

  it('honours # shipwatch:skip comments, .shipwatch.yaml ignores and disable like every IaC finding', () => {
    const text = 'resource "aws_ecr_repository" "r" {\n  name = "r"\n  # shipwatch:skip=ECR-001 tags are rewritten by the release job on purpose\n  image_tag_mutability = "MUTABLE"\n}\n';
    const result = scanOne('main.tf', text, { config: { disable: ['ECR-002'], ignore: [{ rule: 'ECR-004', reason: 'AES256 is enough here' }] } });
    expect(result.findings.map((f) => [f.ruleId, f.location?.line, f.suppression?.source ?? null])).toEqual([
      ['ECR-004', 1, 'config'],
      ['ECR-001', 4, 'comment'],
    ]);
  });
});
