import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../shared/iac/cloud/model.ts';
import { evaluateJson, evaluateTemplate, JsonText, plainValue, type EvalScope, type HclValue } from '../../shared/iac/cloud/terraform/expression.ts';
import { parseHcl, HclSyntaxError } from '../../shared/iac/cloud/terraform/hcl.ts';
import { indexHcl, nestedBlock } from '../../shared/iac/cloud/terraform/locate.ts';
import { scanSources } from '../../shared/scan/engine.ts';
import { scanOne } from './fixtures.ts';

const scope = (vars: Record<string, HclValue> = {}, locals: Record<string, HclValue> = {}): EvalScope => ({
  variable: (n) => (n in vars ? vars[n] : UNKNOWN),
  local: (n) => (n in locals ? locals[n] : UNKNOWN),
  data: () => UNKNOWN,
});

describe('HCL positions', () => {
  const text = `# comment with a brace {
resource "aws_eks_cluster" "a" {
  name = "a" # trailing } comment
  tags = {
    team = "x"
  }
  /* block comment
     vpc_config { } */
  policy = <<-EOT
    { "not": "a block" }
    }
  EOT
  template = "\${jsonencode({ a = "}" })}"
  vpc_config { endpoint_public_access = true }
  vpc_config {
    subnet_ids = [
      "a",
    ]
    endpoint_private_access = false
  }
}

data "aws_iam_policy_document" "d" {
  statement {
    effect = "Allow"
  }
}
`;
  const root = indexHcl(text);

  it('finds blocks, nested blocks and attributes past comments, heredocs, strings and object values', () => {
    expect(root.blocks.map((b) => [b.type, b.labels, b.line])).toEqual([
      ['resource', ['aws_eks_cluster', 'a'], 2],
      ['data', ['aws_iam_policy_document', 'd'], 23],
    ]);
    const cluster = root.blocks[0];
    expect(Object.fromEntries(cluster.attributes)).toEqual({ name: 3, tags: 4, policy: 9, template: 13 });
    expect(cluster.blocks.map((b) => [b.type, b.line])).toEqual([
      ['vpc_config', 14],
      ['vpc_config', 15],
    ]);
    expect(nestedBlock(cluster, 'vpc_config', 0)?.attributes.get('endpoint_public_access')).toBe(14);
    expect(nestedBlock(cluster, 'vpc_config', 1)?.attributes.get('endpoint_private_access')).toBe(19);
    expect(nestedBlock(root.blocks[1], 'statement')?.attributes.get('effect')).toBe(25);
  });

  it('agrees with hcl2json on the same file', () => {
    const json = parseHcl('main.tf', text) as { resource: { aws_eks_cluster: { a: { vpc_config: unknown[] }[] } } };
    expect(json.resource.aws_eks_cluster.a[0].vpc_config).toHaveLength(2);
  });
});

describe('HCL expressions', () => {
  it('evaluates literals, templates, operators, conditionals and references', () => {
    const s = scope({ env: 'prod', n: 2, cfg: { public: false, cidrs: ['10.0.0.0/8'] } }, { suffix: 'eks' });
    expect(evaluateTemplate('${var.env}-${local.suffix}', s)).toBe('prod-eks');
    expect(evaluateTemplate('${var.cfg.public}', s)).toBe(false);
    expect(evaluateTemplate('${var.cfg["cidrs"][0]}', s)).toBe('10.0.0.0/8');
    expect(evaluateTemplate('${var.env == "prod" ? true : false}', s)).toBe(true);
    expect(evaluateTemplate('${!(var.n > 1) || var.unknown}', s)).toBe(UNKNOWN);
    expect(evaluateTemplate('${var.n > 1 || var.unknown}', s)).toBe(true);
    expect(evaluateTemplate('${var.unknown && false}', s)).toBe(false);
    expect(evaluateTemplate('${1 + 2 * 3}', s)).toBe(7);
    expect(evaluateTemplate('${var.unknown ? "same" : "same"}', s)).toBe('same');
    expect(evaluateTemplate('literal $${not} %%{interpolated}', s)).toBe('literal ${not} %{interpolated}');
    expect(evaluateTemplate('${"a\\"b\\n"}', s)).toBe('a"b\n');
  });

  it('evaluates the pure functions policies are written with', () => {
    const s = scope({ tags: { a: '1' } });
    expect(plainValue(evaluateTemplate('${jsonencode({ Statement = [{ Effect = "Allow", "Principal" = { AWS = "*" } }] })}', s))).toEqual({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' } }],
    });
    expect(evaluateTemplate('${jsonencode({ a = 1 })}', s)).toBeInstanceOf(JsonText);
    expect(evaluateTemplate('prefix ${jsonencode({ a = 1 })}', s)).toBe('prefix {"a":1}');
    expect(evaluateTemplate('${jsondecode("{\\"a\\": [1]}")}', s)).toEqual({ a: [1] });
    expect(evaluateTemplate('${concat(["a"], ["b"])}', s)).toEqual(['a', 'b']);
    expect(evaluateTemplate('${merge(var.tags, { b = "2" })}', s)).toEqual({ a: '1', b: '2' });
    expect(evaluateTemplate('${lookup(var.tags, "z", "default")}', s)).toBe('default');
    expect(evaluateTemplate('${contains(["x", "y"], "y")}', s)).toBe(true);
    expect(evaluateTemplate('${coalesce(null, "", "first")}', s)).toBe('first');
    expect(evaluateTemplate('${join(",", split("-", "a-b"))}', s)).toBe('a,b');
    expect(evaluateTemplate('${lower(upper("Mixed"))}', s)).toBe('mixed');
  });

  it('is UNKNOWN for what a scan cannot know, never an exception', () => {
    const s = scope();
    for (const expression of [
      '${aws_kms_key.k.arn}',
      '${module.vpc.private_subnets}',
      '${count.index}',
      '${each.value}',
      '${[for s in var.list : upper(s)]}',
      '${{ for k, v in var.map : k => v }}',
      '${var.list[*].id}',
      '${file("policy.json")}',
      '${templatefile("p.tpl", {})}',
      '%{ if var.x }a%{ endif }',
      '${provider::aws::arn_parse("x")}',
      '${var.}',
      '${"unterminated}',
    ]) {
      expect(evaluateTemplate(expression, s), expression).toBe(UNKNOWN);
    }
    expect(evaluateJson(['a', '${var.x}'], s)).toEqual(['a', UNKNOWN]);
    expect(evaluateJson({ a: true, b: '${local.y}' }, s)).toEqual({ a: true, b: UNKNOWN });
  });
});

describe('bad Terraform input', () => {
  it('reports invalid HCL with its line and keeps scanning other files', () => {
    const result = scanSources([
      { path: 'broken.tf', text: 'resource "aws_ecr_repository" "r" {\n  name = \n}\n' },
      { path: 'ok/main.tf', text: 'resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n' },
    ]);
    expect(result.findings.map((f) => f.location?.file)).toEqual(['ok/main.tf', 'ok/main.tf', 'ok/main.tf']);
    expect(result.errors).toEqual([{ file: 'broken.tf', line: 2, message: expect.stringMatching(/^invalid HCL: broken\.tf:2,10-3,1: /) }]);
    expect(() => parseHcl('x.tf', 'a = ')).toThrow(HclSyntaxError);
  });

  it('reports a repository policy that is not JSON, with its line', () => {
    const result = scanOne('main.tf', 'resource "aws_ecr_repository_policy" "p" {\n  repository = "r"\n  policy = "{not json"\n}\n');
    expect(result.errors).toEqual([{ file: 'main.tf', line: 3, message: expect.stringContaining('aws_ecr_repository_policy.p: the policy is not valid JSON') }]);
  });

  it('survives cycles: locals referring to each other and modules calling each other', () => {
    const locals = 'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_ecr_repository" "r" {\n  name = "r"\n  image_tag_mutability = local.a\n}\n';
    expect(scanOne('main.tf', locals).findings.map((f) => f.ruleId)).not.toContain('ECR-001');
    const modules = scanSources([
      { path: 'a/main.tf', text: 'module "b" {\n  source = "../b"\n  public = var.public\n}\nvariable "public" {}\n' },
      { path: 'b/main.tf', text: 'module "a" {\n  source = "../a"\n}\nvariable "public" {}\nresource "aws_eks_cluster" "c" {\n  name = "c"\n  role_arn = "r"\n  vpc_config {\n    subnet_ids = ["s"]\n    endpoint_public_access = var.public\n  }\n}\n' },
    ]);
    expect(modules.errors).toEqual([]);
    expect(modules.findings.map((f) => f.ruleId)).not.toContain('EKS-001');
  });

  it('ignores terraform files that are not HCL text the engine reads: other .tfvars, unrelated resources', () => {
    const result = scanOne('prod.tfvars', 'public = true\n');
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(scanOne('main.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n').findings).toEqual([]);
  });
});
