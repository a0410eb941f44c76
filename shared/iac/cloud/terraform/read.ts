// Terraform files in, cloud resources out: parse every file, group them into modules, evaluate
// each module instance, and extract the EKS/ECR resources of the files being reported on.
import { basename, posix } from 'node:path';
import { UNKNOWN, type CloudSubject, type Maybe, type RegistryScanning } from '../model.ts';
import { HclSyntaxError, parseHcl } from './hcl.ts';
import { indexHcl } from './locate.ts';
import { TerraformProject, type TerraformFile } from './project.ts';
import { registryScanningOf, terraformSubjects, type ResourceProblem } from './resources.ts';

export interface TerraformSource {
  path: string;
  text: string;
  /** false: read for variables, modules and registry settings only (a PR's unchanged files). */
  report: boolean;
}

/** Variable values Terraform loads by itself (other .tfvars files need -var-file and are not applied). */
export const isAutoLoadedTfvars = (path: string) => /^(?:terraform\.tfvars|.+\.auto\.tfvars)$/.test(basename(path));
export const isTerraformFile = (path: string) => /\.tf$/i.test(path) || isAutoLoadedTfvars(path);

const folderOf = (path: string) => posix.dirname(path.replace(/\\/g, '/'));

export function readTerraform(sources: readonly TerraformSource[]): { subjects: CloudSubject[]; problems: ResourceProblem[] } {
  const problems: ResourceProblem[] = [];
  // Context alone reports nothing: a PR that changes no Terraform file does not load the parser.
  if (!sources.some((s) => s.report && isTerraformFile(s.path))) return { subjects: [], problems };
  const files: TerraformFile[] = [];
  const tfvars = new Map<string, Record<string, unknown>>();
  // Sorted so that later tfvars files win like Terraform's lexical order, and output is stable.
  for (const source of [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isTerraformFile(source.path)) continue;
    let json: Record<string, unknown>;
    try {
      json = parseHcl(basename(source.path), source.text);
    } catch (e) {
      if (source.report) {
        problems.push(
          e instanceof HclSyntaxError
            ? { file: source.path, line: e.line, message: `invalid HCL: ${e.message}` }
            : { file: source.path, line: null, message: `not scanned: the HCL parser could not run (${(e as Error).message})` },
        );
      }
      continue;
    }
    const folder = folderOf(source.path);
    if (isAutoLoadedTfvars(source.path)) tfvars.set(folder, { ...tfvars.get(folder), ...json });
    else files.push({ path: source.path, folder, json, index: indexHcl(source.text), report: source.report });
  }
  if (!files.some((f) => f.report)) return { subjects: [], problems };

  const project = new TerraformProject(files, tfvars);
  const instances = [...project.folders.keys()].flatMap((folder) => project.instances(folder));
  // Registry-level scanning applies to every repository of the same configuration (root module tree).
  const scanningByRoot = new Map<string, RegistryScanning[]>();
  for (const instance of instances) {
    for (const file of project.folders.get(instance.folder) ?? []) {
      const found = registryScanningOf(file, instance);
      if (found.length) scanningByRoot.set(instance.root, [...(scanningByRoot.get(instance.root) ?? []), ...found]);
    }
  }
  const subjects: CloudSubject[] = [];
  for (const instance of instances) {
    const declared = scanningByRoot.get(instance.root) ?? [];
    const registryScanning: Maybe<RegistryScanning | null> = declared.length === 0 ? null : declared.length === 1 ? declared[0] : UNKNOWN;
    for (const file of project.folders.get(instance.folder) ?? []) {
      if (file.report) subjects.push(...terraformSubjects(file, instance, registryScanning, problems));
    }
  }
  // A module used by several instances reports a broken value once, not once per instance.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.file}\u0000${p.line}\u0000${p.message}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  return { subjects, problems: unique };
}
