// The small model every EKS-/ECR- rule reads. Terraform, CloudFormation and the live AWS API are
// each normalised into it, so one rule file judges all three the same way.

/** A value the source does not fix: an unset variable, another resource's attribute, an unresolved condition. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;
export type Maybe<T> = T | Unknown;

export const isUnknown = (v: unknown): v is Unknown => v === UNKNOWN;

/** One setting of a resource: its value, how the source spells it, and where it is written. */
export interface Setting<T> {
  /** The value as written (or the documented default when omitted); UNKNOWN when unresolvable. */
  value: Maybe<T>;
  /** The field as its source names it: `vpc_config.endpoint_public_access`, `ResourcesVpcConfig.EndpointPublicAccess`, `resourcesVpcConfig.endpointPublicAccess`. */
  field: string;
  /** False when the field is omitted and the value is the provider's default. */
  explicit: boolean;
  /** Line of the field, or of the resource when the field is omitted; null for live resources. */
  line: number | null;
}

export type CloudOrigin = 'terraform' | 'cloudformation' | 'aws';

interface CloudResourceBase {
  origin: CloudOrigin;
  /** What findings are located at and fingerprinted by: the template file, or the live resource's ARN. */
  target: string;
  /** The template file (null for live resources). */
  file: string | null;
  /** Line of the resource block or logical id (null for live resources). */
  line: number | null;
  /** `aws_eks_cluster`, `AWS::EKS::Cluster`, ... (live resources use the CloudFormation type name). */
  type: string;
  /** Terraform resource name, CloudFormation logical id, or the live resource's name. */
  name: string;
  /** Live resources: `<account>/<region>`; null for templates. */
  namespace: string | null;
}

export interface SecretsEncryption {
  resources: Maybe<Maybe<string>[]>;
  /** The KMS key (ARN, alias or a reference to a key resource); null when none is given. */
  keyArn: Maybe<string | null>;
}

/** Live clusters only: whether Shipwatch's audit sink receives the control-plane audit log. */
export interface AuditSinkState {
  auditLogEnabled: boolean;
  /** The CloudWatch Logs group EKS writes to: `/aws/eks/<name>/cluster`. */
  logGroup: string;
  /** A subscription filter on the log group delivers to the audit sink. */
  subscribed: boolean;
}

export interface EksCluster extends CloudResourceBase {
  kind: 'eks-cluster';
  endpointPublicAccess: Setting<boolean>;
  /** null when unset (EKS then allows 0.0.0.0/0). */
  publicAccessCidrs: Setting<Maybe<string>[] | null>;
  /** Encryption configurations; [] when none. */
  encryption: Setting<SecretsEncryption[]>;
  /** Enabled control-plane log types; [] when none. */
  logTypes: Setting<Maybe<string>[]>;
  /** null when omitted (EKS creates the current default version). */
  version: Setting<string | null>;
  auditSink?: AuditSinkState;
}

export interface RemoteAccess {
  sshKey: Setting<string | null>;
  sourceSecurityGroups: Setting<Maybe<string>[] | null>;
}

export interface EksNodegroup extends CloudResourceBase {
  kind: 'eks-nodegroup';
  /** null when no remote access is configured. */
  remoteAccess: Setting<RemoteAccess | null>;
}

export interface RegistryScanRule {
  frequency: Maybe<string>;
  /** Wildcard repository filters (`*` matches any run of characters). */
  filters: Maybe<Maybe<string>[]>;
}

export interface RegistryScanning {
  scanType: Maybe<string>;
  rules: Maybe<RegistryScanRule[]>;
}

export interface RepositoryEncryption {
  type: Maybe<string>;
  kmsKey: Maybe<string | null>;
}

export interface EcrRepository extends CloudResourceBase {
  kind: 'ecr-repository';
  repositoryName: Maybe<string>;
  tagMutability: Setting<string>;
  scanOnPush: Setting<boolean>;
  /** Registry-level scanning in the same configuration (Terraform configuration, template, or the live registry); null when there is none. */
  registryScanning: Maybe<RegistryScanning | null>;
  encryption: Setting<RepositoryEncryption>;
}

export interface EcrRepositoryPolicy extends CloudResourceBase {
  kind: 'ecr-repository-policy';
  /** The policy document as a value (JSON text already decoded); parts may be UNKNOWN. */
  policy: Setting<unknown>;
}

export type CloudSubject = EksCluster | EksNodegroup | EcrRepository | EcrRepositoryPolicy;
export type CloudSubjectKind = CloudSubject['kind'];
export type SubjectOf<K extends CloudSubjectKind> = Extract<CloudSubject, { kind: K }>;

/** A setting with a known value of `T`, for sources that read it from somewhere with no lines (the AWS API). */
export function liveSetting<T>(field: string, value: Maybe<T>, explicit = true): Setting<T> {
  return { value, field, explicit, line: null };
}

/** Deep check for an UNKNOWN anywhere inside a value. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}
