import { fingerprint, sortFindings, summarize, type Finding, type ResourceRef, type Severity } from '../findings/finding.ts';
import { allRules, type RuleMeta } from '../rules/registry.ts';
import { ConfigError, type ShipwatchConfig } from '../config/config.ts';
import { configIgnores } from '../config/ignores.ts';
import { parseJsonDocument, parseYamlStream, type YamlStream } from '../iac/yaml/parse.ts';
import { asArray, asMap, isMap, lineOf, resourceRef, type Manifest } from '../iac/k8s/manifest.ts';
import { podTemplateOf } from '../iac/k8s/workload.ts';
import type { K8sContext, K8sHit, K8sRule, K8sSettings } from '../iac/k8s/rule.ts';
import type { DockerRule } from '../iac/docker/rule.ts';
import { parseDockerfile } from '../iac/docker/parse.ts';
import { scanSecrets } from '../secrets/scan.ts';
import type { PolicySet } from '../policy/policy.ts';
import { classify, type SourceFile } from './sources.ts';
import type { ScanError, ScanNotice, ScanResult } from './result.ts';
import '../iac/k8s/rules/all.ts';
import '../iac/docker/rules/all.ts';
import { CloudSources } from '../iac/cloud/scan.ts';

export interface ScanOptions {
  config?: ShipwatchConfig;
  /** Custom CEL policies (`--policies`). */
  policies?: PolicySet;
  /** Files whose objects give cross-object rules their context (a PR's unchanged manifests); never reported on. */
  contextFiles?: SourceFile[];
  now?: Date;
}

/** A rule's verdict before configuration, suppression and identity are applied. */
interface Detection {
  ruleId: string;
  meta: Pick<RuleMeta, 'title' | 'remediation' | 'compliance'>;
  severity: Severity;
  message: string;
  file: string;
  line: number | null;
  resource: ResourceRef | null;
  container: string | null;
  field: string;
  evidence?: string;
  /** Object annotation `shipwatch.io/skip`, when the detection is about a Kubernetes object. */
  manifest?: Manifest;
}

const SKIP_ANNOTATION = 'shipwatch.io/skip';
const KUSTOMIZATION_FILE = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/;
const SKIP_REASON_ANNOTATION = 'shipwatch.io/skip-reason';
const SKIP_COMMENT = /#\s*shipwatch:skip=([A-Za-z0-9_./,-]+)(?:[ \t]+(.*))?$/;

/** The engine: files in, findings out. Pure (no I/O); the CLI, the Lambdas and the local server all call it. */
export function scanSources(files: readonly SourceFile[], options: ScanOptions = {}): ScanResult {
  const config = options.config ?? {};
  const now = options.now ?? new Date();
  const errors: ScanError[] = [];
  const notices: ScanNotice[] = [];
  const detections: Detection[] = [];
  const texts = new Map<string, string>();

  const manifests: Manifest[] = [];
  const helmCharts = new Set<string>();
  const cloud = new CloudSources();
  for (const file of files) {
    if (file.readError !== undefined) {
      errors.push({ file: file.path, line: null, message: file.readError });
      continue;
    }
    const text = file.text ?? '';
    texts.set(file.path, text);
    const kind = file.stdin ? 'yaml' : classify(file.path);
    // Terraform files and CloudFormation templates are read after the loop, as whole configurations.
    const cloudFile = cloud.take(file.path, text, kind);
    if (!cloudFile && (kind === 'yaml' || kind === 'json')) {
      const chart = file.stdin ? null : helmChartOf(file.path, text, files);
      if (chart !== null) {
        helmCharts.add(chart);
        continue;
      }
      manifests.push(...readManifests(file, kind, text, errors));
    } else if (kind === 'dockerfile') {
      detections.push(...dockerDetections(file.path, text, config, errors));
    }
    for (const hit of scanSecrets(file.path, text)) {
      if (!ruleEnabled(hit.rule, config)) continue;
      detections.push({
        ruleId: hit.rule.id,
        meta: hit.rule,
        severity: hit.severity,
        message: hit.message,
        file: file.path,
        line: hit.line,
        resource: null,
        container: null,
        field: `${hit.line}:${hit.masked}`,
        evidence: hit.masked,
      });
    }
  }
  for (const chart of [...helmCharts].sort()) {
    notices.push({ file: chart, message: 'Helm chart templates are not scanned directly: render with `helm template` and pipe in (`helm template ... | shipwatch scan -`)' });
  }

  const context = [...manifests];
  for (const file of options.contextFiles ?? []) {
    const kind = classify(file.path);
    if (file.text !== undefined) cloud.addContext(file.path, file.text);
    if (file.text !== undefined && (kind === 'yaml' || kind === 'json') && !/\{\{/.test(file.text)) {
      context.push(...readManifests(file, kind, file.text, []));
    }
  }
  detections.push(...k8sDetections(manifests, context, config, errors));
  detections.push(...cloud.detections(config, (rule) => ruleEnabled(rule, config), errors));
  if (options.policies) {
    const out = options.policies.evaluate(manifests);
    errors.push(...out.errors);
    for (const hit of out.hits) {
      if (config.disable?.includes(hit.policyId)) continue;
      detections.push({
        ruleId: hit.policyId,
        meta: { title: hit.title, remediation: hit.remediation ?? '', compliance: [] },
        severity: hit.severity,
        message: hit.message,
        file: hit.manifest.file,
        line: lineOf(hit.manifest, hit.path ?? []),
        resource: resourceRef(hit.manifest),
        container: null,
        field: `${hit.policyId}:${hit.index ?? 0}`,
        manifest: hit.manifest,
      });
    }
  }

  const findings = finalize(detections, config, now, texts, notices);
  return { schemaVersion: 1, findings: sortFindings(findings), errors, notices, summary: summarize(findings) };
}

export function ruleEnabled(rule: RuleMeta, config: ShipwatchConfig): boolean {
  if (config.disable?.includes(rule.id)) return false;
  return !rule.offByDefault || (config.enable?.includes(rule.id) ?? false);
}

function k8sSettings(config: ShipwatchConfig): K8sSettings {
  return { trustedRegistries: config.trustedRegistries ?? [], kubernetesVersion: config.kubernetesVersion ?? null };
}

function ruleOptions(rule: K8sRule, config: ShipwatchConfig): unknown {
  if (!rule.optionsSchema) return {};
  const parsed = rule.optionsSchema.safeParse(config.ruleOptions?.[rule.id] ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError('.shipwatch.yaml', `ruleOptions.${[rule.id, ...issue.path].join('.')}: ${issue.message}`);
}

function k8sDetections(manifests: Manifest[], all: Manifest[], config: ShipwatchConfig, errors: ScanError[]): Detection[] {
  const out: Detection[] = [];
  const rules = allRules().filter((r): r is K8sRule => r.engine === 'k8s' && ruleEnabled(r, config));
  const settings = k8sSettings(config);
  const prepared = rules.map((rule) => ({ rule, options: ruleOptions(rule, config) }));
  const byKind = new Map<string, Manifest[]>();
  for (const m of all) {
    const list = byKind.get(m.kind);
    if (list) list.push(m);
    else byKind.set(m.kind, [m]);
  }
  const ofKind = (kind: string): readonly Manifest[] => byKind.get(kind) ?? [];
  for (const m of manifests) {
    if (podTemplateOf(m) === 'invalid') {
      errors.push({ file: m.file, line: lineOf(m, []), message: `${m.kind} "${m.name ?? '?'}" has no pod spec (missing or not a map); its pod rules were not evaluated` });
    }
    // One context per object; only the rule's options change between rules.
    const ctx: K8sContext = { manifest: m, all, ofKind, settings, options: undefined };
    for (const { rule, options } of prepared) {
      if (rule.appliesTo && !rule.appliesTo(m)) continue;
      let hits: K8sHit[];
      ctx.options = options;
      try {
        hits = [...rule.check(ctx)];
      } catch (e) {
        errors.push({ file: m.file, line: lineOf(m, []), message: `rule ${rule.id} failed on ${m.kind} "${m.name ?? '?'}": ${(e as Error).message}` });
        continue;
      }
      if (hits.length === 0) continue;
      const resource = resourceRef(m);
      for (const hit of hits) {
        const containerPath = hit.container?.path;
        const relative = containerPath && startsWith(hit.path, containerPath) ? hit.path.slice(containerPath.length) : hit.path;
        out.push({
          ruleId: rule.id,
          meta: rule,
          severity: hit.severity ?? rule.severity,
          message: hit.message,
          file: m.file,
          line: lineOf(m, hit.path),
          resource,
          container: hit.container?.name ?? null,
          field: (hit.container ? `${hit.container.list}/` : '') + relative.join('.'),
          manifest: m,
        });
      }
    }
  }
  return out;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

function dockerDetections(file: string, text: string, config: ShipwatchConfig, errors: ScanError[]): Detection[] {
  const dockerfile = parseDockerfile(text);
  for (const e of dockerfile.errors) errors.push({ file, line: e.line, message: e.message });
  const out: Detection[] = [];
  const rules = allRules().filter((r): r is DockerRule => r.engine === 'docker' && ruleEnabled(r, config));
  for (const rule of rules) {
    try {
      for (const hit of rule.check({ dockerfile, settings: { trustedRegistries: config.trustedRegistries ?? [] } })) {
        out.push({ ruleId: rule.id, meta: rule, severity: hit.severity ?? rule.severity, message: hit.message, file, line: hit.line, resource: null, container: null, field: hit.field });
      }
    } catch (e) {
      errors.push({ file, line: null, message: `rule ${rule.id} failed: ${(e as Error).message}` });
    }
  }
  return out;
}

/** Kubernetes objects of a YAML/JSON file; `kind: List` items become objects of their own. */
export function readManifests(file: SourceFile, kind: 'yaml' | 'json', text: string, errors: ScanError[]): Manifest[] {
  const stream: YamlStream = kind === 'json' ? parseJsonDocument(text) : parseYamlStream(text);
  const manifests: Manifest[] = [];
  const problems: ScanError[] = stream.errors.map((e) => ({ file: file.path, line: e.line, message: e.message }));
  for (const doc of stream.documents) {
    const value = doc.value;
    if (value === null || value === undefined) continue;
    if (!isMap(value)) {
      problems.push({ file: file.path, line: doc.locator.lineOf([]), message: `document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a Kubernetes object` });
      continue;
    }
    const objects: { object: unknown; basePath: (string | number)[] }[] =
      typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)
        ? asArray(value.items).map((object, i) => ({ object, basePath: ['items', i] }))
        : [{ object: value, basePath: [] }];
    for (const { object, basePath } of objects) {
      if (!isMap(object)) {
        problems.push({ file: file.path, line: doc.locator.lineOf(basePath), message: 'list item is not a Kubernetes object' });
        continue;
      }
      let { apiVersion, kind: objKind } = object;
      if (apiVersion === undefined && objKind === undefined) {
        // kustomization.yaml often omits both; anything else without them is not a Kubernetes object (CI file, values.yaml).
        if (!KUSTOMIZATION_FILE.test(file.path)) continue;
        apiVersion = 'kustomize.config.k8s.io/v1beta1';
        objKind = 'Kustomization';
      }
      if (typeof apiVersion !== 'string' || typeof objKind !== 'string') {
        if (apiVersion !== undefined && objKind !== undefined) {
          problems.push({ file: file.path, line: doc.locator.lineOf([...basePath, 'kind']), message: 'apiVersion and kind must be strings' });
        }
        continue;
      }
      const meta = asMap(object.metadata);
      manifests.push({
        file: file.path,
        object,
        apiVersion,
        kind: objKind,
        namespace: typeof meta?.namespace === 'string' ? meta.namespace : null,
        name: typeof meta?.name === 'string' ? meta.name : typeof meta?.generateName === 'string' ? meta.generateName : null,
        basePath,
        get locator() {
          return doc.locator;
        },
        lines: doc.lines,
        firstLine: doc.firstLine,
      });
    }
  }
  // Problems in files that hold no Kubernetes objects at all are somebody else's YAML (CI files, playbooks).
  if (manifests.length > 0 || file.stdin || stream.errors.length > 0) errors.push(...problems);
  return manifests;
}

/** A chart's templates (or any YAML with Go template syntax) cannot be parsed before rendering. */
function helmChartOf(path: string, text: string, files: readonly SourceFile[]): string | null {
  const parts = path.split('/');
  const t = parts.lastIndexOf('templates');
  if (t > 0) {
    const root = parts.slice(0, t).join('/');
    if (files.some((f) => f.path === `${root}/Chart.yaml`)) return root;
  }
  if (/\{\{[\s\S]*?\}\}/.test(text) && /^\s*(?:apiVersion|kind)\s*:/m.test(text)) {
    return t > 0 ? parts.slice(0, t).join('/') : path;
  }
  return null;
}

function finalize(detections: Detection[], config: ShipwatchConfig, now: Date, texts: Map<string, string>, notices: ScanNotice[]): Finding[] {
  const ignores = configIgnores(config, now, notices);
  const fileLines = new Map<string, string[]>();
  const linesOf = (file: string) => {
    let lines = fileLines.get(file);
    if (!lines) fileLines.set(file, (lines = (texts.get(file) ?? '').split(/\r?\n/)));
    return lines;
  };
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const d of detections) {
    const fp = fingerprint({ ruleId: d.ruleId, target: d.file, resource: d.resource, container: d.container, field: d.field });
    if (seen.has(fp)) continue;
    seen.add(fp);
    const finding: Finding = {
      ruleId: d.ruleId,
      severity: config.severity?.[d.ruleId] ?? d.severity,
      title: d.meta.title,
      message: d.message,
      remediation: d.meta.remediation,
      fingerprint: fp,
      source: 'iac',
      location: { file: d.file, line: d.line },
      resource: d.resource,
      container: d.container,
      compliance: d.meta.compliance,
      suppressed: false,
      suppression: null,
      ...(d.evidence !== undefined ? { evidence: d.evidence } : {}),
    };
    const annotationSkip = d.manifest ? annotationSuppression(d.manifest, d.ruleId) : null;
    const commentSkip = d.line !== null ? commentSuppression(linesOf(d.file), d.line, d.ruleId) : null;
    if (annotationSkip) finding.suppression = { source: 'annotation', reason: annotationSkip.reason, expires: null };
    else if (commentSkip) finding.suppression = { source: 'comment', reason: commentSkip.reason, expires: null };
    else {
      const ignored = ignores.find(d.ruleId, [d.file]);
      if (ignored) finding.suppression = { source: 'config', reason: ignored.reason, expires: ignored.expires ?? null };
    }
    finding.suppressed = finding.suppression !== null;
    findings.push(finding);
  }
  return findings;
}

function annotationSuppression(m: Manifest, ruleId: string): { reason: string | null } | null {
  const annotations = asMap(asMap(m.object.metadata)?.annotations);
  const skip = annotations?.[SKIP_ANNOTATION];
  if (typeof skip !== 'string') return null;
  const ids = skip.split(',').map((s) => s.trim());
  if (!ids.includes(ruleId)) return null;
  const reason = annotations?.[SKIP_REASON_ANNOTATION];
  return { reason: typeof reason === 'string' ? reason : null };
}

/** `# shipwatch:skip=K8S-014,K8S-040 reason` on the offending line or the line above. */
function commentSuppression(lines: string[], line: number, ruleId: string): { reason: string | null } | null {
  for (const l of [line, line - 1]) {
    const text = lines[l - 1];
    if (text === undefined) continue;
    const m = SKIP_COMMENT.exec(text);
    if (!m) continue;
    if (l === line - 1 && !/^\s*#/.test(text)) continue; // the line above must be a comment line of its own
    if (m[1].split(',').includes(ruleId)) return { reason: m[2]?.trim() || null };
  }
  return null;
}
