import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, type Manifest } from '../iac/k8s/manifest.ts';
import { parseJsonDocument, parseYamlStream } from '../iac/yaml/parse.ts';
import type { ScanError } from '../scan/result.ts';
import { problemAt, type PolicyDocument } from './document.ts';
import { PolicyError, type CompiledPolicy, type PolicyHit, type PolicySet } from './policy.ts';
import { loadShipwatchPolicy, SHIPWATCH_POLICY_KIND } from './shipwatch-policy.ts';
import { objectError, policySubject, scannedNamespaces } from './subject.ts';
import { loadVap, loadVapBinding, VAP_BINDING_KIND, VAP_KIND, type VapBinding } from './vap.ts';

const POLICY_FILE = /\.(?:ya?ml|json)$/i;

/**
 * Loads every policy under `dir` (or the one file `dir` names): Shipwatch policies, ValidatingAdmissionPolicies
 * and their bindings, several per file allowed. Any invalid document or expression that does not compile
 * throws a PolicyError naming the file, line and key; other files in the folder (READMEs) are ignored.
 */
export function loadPolicies(dir: string): PolicySet {
  const documents = policyFiles(dir).flatMap(readDocuments);
  const kindOf = (doc: PolicyDocument) => (isMap(doc.value) ? doc.value.kind : undefined);

  const bindings: VapBinding[] = documents.filter((d) => kindOf(d) === VAP_BINDING_KIND).map(loadVapBinding);
  const policies: CompiledPolicy[] = [];
  const skipped: PolicySet['skipped'] = [];
  const loadedFrom = new Map<string, string>();
  for (const doc of documents) {
    const kind = kindOf(doc);
    if (kind === VAP_BINDING_KIND) continue;
    let policy: CompiledPolicy;
    if (kind === SHIPWATCH_POLICY_KIND) {
      policy = loadShipwatchPolicy(doc);
    } else if (kind === VAP_KIND) {
      const loaded = loadVap(doc, bindings);
      if ('skipped' in loaded) {
        skipped.push(loaded.skipped);
        continue;
      }
      policy = loaded.policy;
    } else {
      const problem = isMap(doc.value) ? `"${String(kind)}" is not a policy kind` : 'not a policy object';
      throw problemAt(doc, ['kind'], `${problem} (expected ${SHIPWATCH_POLICY_KIND}, ${VAP_KIND} or ${VAP_BINDING_KIND})`);
    }
    const earlier = loadedFrom.get(policy.id);
    if (earlier !== undefined) throw new PolicyError(doc.file, doc.lineOf([]), `policy ${policy.id} is also defined in ${earlier}`);
    loadedFrom.set(policy.id, doc.file);
    policies.push(policy);
  }
  return { skipped, evaluate: (manifests) => evaluate(policies, manifests) };
}

function evaluate(policies: readonly CompiledPolicy[], manifests: readonly Manifest[]): { hits: PolicyHit[]; errors: ScanError[] } {
  const out = { hits: [] as PolicyHit[], errors: [] as ScanError[] };
  if (policies.length === 0) return out;
  const namespaces = scannedNamespaces(manifests);
  for (const manifest of manifests) {
    const subject = policySubject(manifest, namespaces);
    for (const policy of policies) {
      try {
        policy.check(subject, out);
      } catch (e) {
        out.errors.push(objectError(manifest, `policy ${policy.id} (${policy.file}) failed: ${(e as Error).message}`));
      }
    }
  }
  return out;
}

function policyFiles(dir: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (e) {
    throw new PolicyError(dir, null, `cannot read policies: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (!isDirectory) return [dir];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => POLICY_FILE.test(name))
    .map((name) => join(dir, name).split('\\').join('/'))
    .filter((path) => statSync(path).isFile())
    .sort();
}

function readDocuments(file: string): PolicyDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PolicyError(file, null, `cannot read: ${(e as Error).message}`);
  }
  const stream = /\.json$/i.test(file) ? parseJsonDocument(text) : parseYamlStream(text);
  if (stream.errors.length > 0) throw new PolicyError(file, stream.errors[0].line, `invalid YAML: ${stream.errors[0].message}`);
  return stream.documents
    .filter((doc) => doc.value !== null && doc.value !== undefined)
    .map((doc) => ({ file, value: doc.value, lineOf: (path) => doc.locator.lineOf(path) }));
}
