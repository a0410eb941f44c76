// CloudFormation resources -> the cloud model. Intrinsic functions are resolved where the template
// alone decides them (parameter defaults, mappings, conditions over those); references to other
// resources, pseudo parameters and imports are UNKNOWN.
import { presentText, toBool, toText, toTextList } from '../convert.ts';
import { decodePolicy } from '../policy.ts';
import {
  containsUnknown,
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
import type { CfnTemplate, Path } from './template.ts';

/** `!Ref AWS::NoValue`: the property is removed, so the default applies. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const asRecord = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export interface TemplateProblem {
  line: number | null;
  message: string;
}

/** Resolves intrinsic functions against the template's parameters (defaults), mappings and conditions. */
class Intrinsics {
  private readonly conditions = new Map<string, Maybe<boolean>>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly template: Record<string, unknown>) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    const map = asRecord(value);
    if (!map) return value;
    const keys = Object.keys(map);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'))) return this.call(keys[0], map[keys[0]]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(map)) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  condition(name: unknown): Maybe<boolean> {
    if (typeof name !== 'string') return UNKNOWN;
    if (this.conditions.has(name)) return this.conditions.get(name)!;
    const definition = asRecord(this.template.Conditions)?.[name];
    if (definition === undefined || this.evaluating.has(name)) return UNKNOWN;
    this.evaluating.add(name);
    const result = this.resolve(definition);
    this.evaluating.delete(name);
    const value = typeof result === 'boolean' ? result : UNKNOWN;
    this.conditions.set(name, value);
    return value;
  }

  private parameter(name: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const parameter = asRecord(asRecord(this.template.Parameters)?.[name]);
    if (!parameter || parameter.Default === undefined) return UNKNOWN;
    const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
    const value = parameter.Default;
    if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof value === 'string') return value.split(',').map((s) => s.trim());
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  }

  private call(name: string, arg: unknown): unknown {
    const args = (): unknown[] => (Array.isArray(arg) ? arg.map((a) => this.resolve(a)) : []);
    switch (name) {
      case 'Ref':
        return typeof arg === 'string' ? this.parameter(arg) : UNKNOWN;
      case 'Condition':
        return this.condition(arg);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) return UNKNOWN;
        const chosen = this.condition(arg[0]);
        if (chosen === true) return this.resolve(arg[1]);
        if (chosen === false) return this.resolve(arg[2]);
        const [a, b] = [this.resolve(arg[1]), this.resolve(arg[2])];
        return JSON.stringify(a) === JSON.stringify(b) && !containsUnknown(a) ? a : UNKNOWN;
      }
      case 'Fn::Equals': {
        const [a, b] = args();
        if (containsUnknown(a) || containsUnknown(b)) return UNKNOWN;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const [a] = args();
        return typeof a === 'boolean' ? !a : UNKNOWN;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = args();
        const decisive = name === 'Fn::And' ? false : true;
        if (values.includes(decisive)) return decisive;
        return values.every((v) => typeof v === 'boolean') ? !decisive : UNKNOWN;
      }
      case 'Fn::Join': {
        const [delimiter, list] = args();
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return UNKNOWN;
        const parts = list.map(toText);
        return parts.some(isUnknown) ? UNKNOWN : parts.join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = args();
        const i = Number(index);
        return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : UNKNOWN;
      }
      case 'Fn::Split': {
        const [delimiter, text] = args();
        return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : UNKNOWN;
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = args();
        const value = asRecord(asRecord(asRecord(this.template.Mappings)?.[String(map)])?.[String(top)])?.[String(second)];
        return typeof map === 'string' && typeof top === 'string' && typeof second === 'string' && value !== undefined ? this.resolve(value) : UNKNOWN;
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Base64': {
        const text = this.resolve(arg);
        return typeof text === 'string' ? Buffer.from(text).toString('base64') : UNKNOWN;
      }
      default:
        // Fn::GetAtt, Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform...: known only at deploy time.
        return UNKNOWN;
    }
  }

  /** `${Name}` from the given variables or parameter defaults, `${!Literal}` as written; anything else UNKNOWN. */
  private sub(arg: unknown): unknown {
    const [text, vars] = Array.isArray(arg) ? [arg[0], asRecord(this.resolve(arg[1])) ?? {}] : [arg, {} as Record<string, unknown>];
    if (typeof text !== 'string') return UNKNOWN;
    let unknown = false;
    const out = text.replace(/\$\{(!?)([^}]*)\}/g, (whole, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      const value = Object.hasOwn(vars, name) ? vars[name] : name.includes('.') ? UNKNOWN : this.parameter(name);
      const textValue = toText(value);
      if (isUnknown(textValue)) unknown = true;
      return isUnknown(textValue) ? whole : textValue;
    });
    return unknown ? UNKNOWN : out;
  }
}

/** Reads one resource's resolved properties as settings named by their property path. */
class PropertyReader {
  constructor(
    private readonly template: CfnTemplate,
    private readonly base: Path,
    private readonly properties: unknown,
  ) {}

  /** The resolved value at a property path: undefined when absent, UNKNOWN when an intrinsic decides it. */
  get(path: readonly string[]): unknown {
    let value: unknown = this.properties;
    for (const key of path) {
      if (isUnknown(value)) return UNKNOWN;
      const map = asRecord(value);
      if (!map) return undefined;
      value = map[key];
    }
    return value;
  }

  line(path: readonly (string | number)[]): number {
    return this.template.lineOf([...this.base, ...path]);
  }

  setting<T>(path: readonly string[], convert: (v: unknown) => Maybe<T>, fallback: T): Setting<T> {
    const value = this.get(path);
    const field = path.join('.');
    if (value === undefined || value === null) return { value: fallback, field, explicit: false, line: this.line(path) };
    return { value: convert(value), field, explicit: true, line: this.line(path) };
  }
}

/** The EKS and ECR resources of one template. */
export function cloudFormationSubjects(file: string, template: CfnTemplate, problems: TemplateProblem[]): CloudSubject[] {
  const intrinsics = new Intrinsics(template.value);
  const resources = Object.entries(asRecord(template.value.Resources) ?? {});
  const scanningConfigurations = resources.filter(([, r]) => asRecord(r)?.Type === 'AWS::ECR::RegistryScanningConfiguration');
  const registryScanning: Maybe<RegistryScanning | null> =
    scanningConfigurations.length === 0 ? null : scanningConfigurations.length > 1 ? UNKNOWN : registryScanningOf(intrinsics.resolve(asRecord(scanningConfigurations[0][1])?.Properties));

  const out: CloudSubject[] = [];
  for (const [logicalId, raw] of resources) {
    const resource = asRecord(raw);
    if (!resource || typeof resource.Type !== 'string') continue;
    if (resource.Condition !== undefined && intrinsics.condition(resource.Condition) === false) continue;
    const path = ['Resources', logicalId, 'Properties'];
    const reader = new PropertyReader(template, path, intrinsics.resolve(resource.Properties ?? {}));
    const base = { origin: 'cloudformation' as const, target: file, file, line: template.lineOf(['Resources', logicalId]), type: resource.Type, name: logicalId, namespace: null };
    switch (resource.Type) {
      case 'AWS::EKS::Cluster':
        out.push(eksCluster(reader, base));
        break;
      case 'AWS::EKS::Nodegroup': {
        const remote = reader.get(['RemoteAccess']);
        const value: Maybe<RemoteAccess | null> =
          remote === undefined || remote === null
            ? null
            : isUnknown(remote)
              ? UNKNOWN
              : { sshKey: reader.setting(['RemoteAccess', 'Ec2SshKey'], presentText, null), sourceSecurityGroups: reader.setting<Maybe<string>[] | null>(['RemoteAccess', 'SourceSecurityGroups'], toTextList, null) };
        out.push({ ...base, kind: 'eks-nodegroup', remoteAccess: { value, field: 'RemoteAccess', explicit: value !== null, line: reader.line(['RemoteAccess']) } });
        break;
      }
      case 'AWS::ECR::Repository': {
        out.push(ecrRepository(reader, base, registryScanning));
        const policy = reader.get(['RepositoryPolicyText']);
        if (policy === undefined || policy === null) break;
        const decoded = isUnknown(policy) ? { ok: true as const, document: UNKNOWN } : decodePolicy(policy);
        if (!decoded.ok) problems.push({ line: reader.line(['RepositoryPolicyText']), message: `${logicalId}: ${decoded.error}` });
        else out.push({ ...base, kind: 'ecr-repository-policy', policy: { value: decoded.document, field: 'RepositoryPolicyText', explicit: true, line: reader.line(['RepositoryPolicyText']) } });
        break;
      }
    }
  }
  return out;
}

function eksCluster(reader: PropertyReader, base: Omit<EksCluster, 'kind' | 'endpointPublicAccess' | 'publicAccessCidrs' | 'encryption' | 'logTypes' | 'version'>): EksCluster {
  const encryption = reader.get(['EncryptionConfig']);
  const entries: Maybe<SecretsEncryption[]> =
    encryption === undefined || encryption === null
      ? []
      : !Array.isArray(encryption)
        ? UNKNOWN
        : encryption.map((entry): SecretsEncryption => {
            if (isUnknown(entry)) return { resources: UNKNOWN, keyArn: UNKNOWN };
            const e = asRecord(entry) ?? {};
            const provider = e.Provider;
            return {
              resources: e.Resources === undefined ? [] : toTextList(e.Resources),
              keyArn: provider === undefined || provider === null ? null : isUnknown(provider) ? UNKNOWN : presentText(asRecord(provider)?.KeyArn ?? null),
            };
          });
  const enabledTypes = reader.get(['Logging', 'ClusterLogging', 'EnabledTypes']);
  const logTypes: Setting<Maybe<string>[]> = {
    value: enabledTypes === undefined || enabledTypes === null ? [] : Array.isArray(enabledTypes) ? enabledTypes.map((t) => (isUnknown(t) ? UNKNOWN : toText(asRecord(t)?.Type))) : UNKNOWN,
    field: 'Logging.ClusterLogging.EnabledTypes',
    explicit: enabledTypes !== undefined && enabledTypes !== null,
    line: reader.line(['Logging', 'ClusterLogging', 'EnabledTypes']),
  };
  return {
    ...base,
    kind: 'eks-cluster',
    endpointPublicAccess: reader.setting(['ResourcesVpcConfig', 'EndpointPublicAccess'], toBool, true),
    publicAccessCidrs: reader.setting<Maybe<string>[] | null>(['ResourcesVpcConfig', 'PublicAccessCidrs'], toTextList, null),
    encryption: { value: entries, field: 'EncryptionConfig', explicit: encryption !== undefined, line: reader.line(['EncryptionConfig']) },
    logTypes,
    version: reader.setting<string | null>(['Version'], toText, null),
  };
}

function ecrRepository(
  reader: PropertyReader,
  base: Omit<EcrRepository, 'kind' | 'repositoryName' | 'tagMutability' | 'scanOnPush' | 'registryScanning' | 'encryption'>,
  registryScanning: Maybe<RegistryScanning | null>,
): EcrRepository {
  const encryption = reader.get(['EncryptionConfiguration']);
  const type = reader.setting(['EncryptionConfiguration', 'EncryptionType'], toText, 'AES256');
  const name = reader.get(['RepositoryName']);
  return {
    ...base,
    kind: 'ecr-repository',
    // Without RepositoryName CloudFormation generates one: unknown to wildcard filters.
    repositoryName: typeof name === 'string' ? name : UNKNOWN,
    tagMutability: reader.setting(['ImageTagMutability'], toText, 'MUTABLE'),
    scanOnPush: reader.setting(['ImageScanningConfiguration', 'ScanOnPush'], toBool, false),
    registryScanning,
    encryption: {
      value: isUnknown(encryption) ? UNKNOWN : { type: type.value, kmsKey: reader.setting(['EncryptionConfiguration', 'KmsKey'], presentText, null).value },
      field: type.explicit ? type.field : 'EncryptionConfiguration',
      explicit: encryption !== undefined,
      line: type.line,
    },
  };
}

function registryScanningOf(properties: unknown): Maybe<RegistryScanning> {
  if (isUnknown(properties)) return UNKNOWN;
  const p = asRecord(properties) ?? {};
  const rules = p.Rules;
  return {
    scanType: toText(p.ScanType),
    rules: isUnknown(rules)
      ? UNKNOWN
      : (Array.isArray(rules) ? rules : []).map((rule) => {
          const r = asRecord(rule) ?? {};
          const filters = r.RepositoryFilters;
          return {
            frequency: toText(r.ScanFrequency),
            filters: Array.isArray(filters) ? filters.map((f) => (isUnknown(f) ? UNKNOWN : toText(asRecord(f)?.Filter))) : UNKNOWN,
          };
        }),
  };
}
