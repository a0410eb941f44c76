// The IaC side of the EKS/ECR rules: Terraform files and CloudFormation templates of a scan are
// collected while the engine walks the files, then read together (Terraform modules and variables
// span files) and judged by the cloud rules.
import type { ShipwatchConfig } from '../../config/config.ts';
import type { ResourceRef, Severity } from '../../findings/finding.ts';
import type { RuleMeta } from '../../rules/registry.ts';
import type { ScanError } from '../../scan/result.ts';
import type { FileKind } from '../../scan/sources.ts';
import { mayBeCloudFormation, parseCloudFormation } from './cloudformation/template.ts';
import { cloudFormationSubjects } from './cloudformation/resources.ts';
import type { CloudSubject } from './model.ts';
import { evaluateCloudRules, prepareCloudRules } from './rule.ts';
import { isTerraformFile, readTerraform, type TerraformSource } from './terraform/read.ts';
import './rules/all.ts';

/** A rule's verdict on a template, in the shape the engine turns into a finding. */
export interface CloudDetection {
  ruleId: string;
  meta: Pick<RuleMeta, 'title' | 'remediation' | 'compliance'>;
  severity: Severity;
  message: string;
  file: string;
  line: number | null;
  resource: ResourceRef;
  container: null;
  field: string;
}

export class CloudSources {
  private readonly terraform: TerraformSource[] = [];
  private readonly subjects: CloudSubject[] = [];
  private readonly errors: ScanError[] = [];

  /**
   * Takes a scanned file that is Terraform or a CloudFormation template (true), so that the
   * Kubernetes reader leaves it alone; anything else is not taken (false).
   */
  take(path: string, text: string, kind: FileKind): boolean {
    if (kind === 'terraform') {
      if (isTerraformFile(path)) this.terraform.push({ path, text, report: true });
      return true;
    }
    if ((kind !== 'yaml' && kind !== 'json') || !mayBeCloudFormation(text)) return false;
    const parsed = parseCloudFormation(text);
    if (parsed.kind === 'not-a-template') return false;
    if (parsed.kind === 'invalid') this.errors.push({ file: path, line: parsed.line, message: parsed.message });
    else {
      const problems: { line: number | null; message: string }[] = [];
      this.subjects.push(...cloudFormationSubjects(path, parsed.template, problems));
      for (const p of problems) this.errors.push({ file: path, ...p });
    }
    return true;
  }

  /** A file that is not reported on but gives Terraform its context (variables, modules, registry settings). */
  addContext(path: string, text: string): void {
    if (isTerraformFile(path)) this.terraform.push({ path, text, report: false });
  }

  /** Reads the Terraform, runs the enabled cloud rules and returns their detections; problems go to `errors`. */
  detections(config: ShipwatchConfig, enabled: (rule: RuleMeta) => boolean, errors: ScanError[]): CloudDetection[] {
    errors.push(...this.errors);
    const terraform = readTerraform(this.terraform);
    errors.push(...terraform.problems);
    const subjects = [...this.subjects, ...terraform.subjects];
    if (subjects.length === 0) return [];
    const { detections, failures } = evaluateCloudRules(subjects, prepareCloudRules(config, enabled));
    for (const f of failures) errors.push({ file: f.subject.file ?? f.subject.target, line: f.subject.line, message: f.message });
    return detections.map(({ rule, subject, hit }) => ({
      ruleId: rule.id,
      meta: rule,
      severity: hit.severity ?? rule.severity,
      message: hit.message,
      file: subject.file ?? subject.target,
      line: hit.line ?? subject.line,
      resource: { apiVersion: null, kind: subject.type, namespace: subject.namespace, name: subject.name },
      container: null,
      field: hit.field,
    }));
  }
}
