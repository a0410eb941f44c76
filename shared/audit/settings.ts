// The `audit:` section of `.shipwatch.yaml` resolved once into ready-to-use lookups, with the
// catalog defaults. Configured lists extend the defaults (an operator adds platform namespaces,
// trusted images, control-plane identities; removing a catalog default is not possible).
import type { Severity } from '../findings/finding.ts';
import type { ShipwatchConfig } from '../config/config.ts';
import type { AlertRoute } from '../notify/alert.ts';
import { CidrSet } from './event.ts';
import { globMatcher, globPredicate } from './glob.ts';
import { DEFAULT_CONTROL_PLANE_IDENTITIES, IdentityClassifier } from './identity.ts';

export type AuditConfig = NonNullable<ShipwatchConfig['audit']>;
export type AuditExceptionConfig = NonNullable<AuditConfig['exceptions']>[number];

/** §0.3 E-PLAT default. */
export const DEFAULT_PLATFORM_NAMESPACES: readonly string[] = ['kube-system'];
/** Namespaces AUDIT-007 treats as system namespaces besides the configured platform ones. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** §0.3 E-IMG defaults: Kubernetes and provider system registries only (prefixes). */
export const DEFAULT_TRUSTED_IMAGES: readonly string[] = [
  'registry.k8s.io/',
  'k8s.gcr.io/',
  'gcr.io/google-containers/',
  'gcr.io/google_containers/',
  'gke.gcr.io/',
  'mcr.microsoft.com/oss/kubernetes/',
  'public.ecr.aws/eks/',
  'public.ecr.aws/eks-distro/',
];
/** EKS add-on registries: `<account>.dkr.ecr.<region>.amazonaws.com/eks/…` and `…/amazon-k8s-cni…`. */
const EKS_ADDON_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/(?:eks\/|amazon-k8s-cni)/;

export const DEFAULT_SECRET_LISTERS: readonly string[] = ['system:serviceaccount:kube-system:kube-state-metrics'];
export const DEFAULT_PRIVILEGED_ROLES: readonly string[] = ['cluster-admin', 'admin', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:node'];
export const DEFAULT_CHURN_ROLES: readonly string[] = ['system:coredns', 'system:managed-certificate-controller'];
export const DEFAULT_SECURITY_TOOLING: readonly string[] = ['falco*', 'amazon-guardduty', 'aws-guardduty-agent', 'datadog*', 'sysdig*', 'falcon-sensor', 'aqua*', 'shipwatch*'];
export const DEFAULT_ADMIN_UI_SELECTORS: readonly string[] = [
  'k8s-app=kubernetes-dashboard',
  'app.kubernetes.io/name=kubernetes-dashboard',
  'app=kubernetes-dashboard',
  'app=centraldashboard',
  'app.kubernetes.io/name=argo-server',
  'app=argo-server',
];

export interface ThresholdSettings {
  count: number;
  windowSeconds: number;
}

export interface AllowLists {
  users: ((v: string) => boolean) | null;
  namespaces: ((v: string) => boolean) | null;
  registries: readonly string[] | null;
  nodes: ((v: string) => boolean) | null;
}

/** Everything detections and the processor read from configuration. */
export interface AuditSettings {
  platformNamespaces: ReadonlySet<string>;
  /** kube-system, kube-public, kube-node-lease plus the platform namespaces. */
  systemNamespaces: ReadonlySet<string>;
  trustedImagePrefixes: readonly string[];
  identities: IdentityClassifier;
  trustedCidrs: CidrSet;
  threatIps: CidrSet;
  enable: ReadonlySet<string>;
  disable: ReadonlySet<string>;
  severity: Readonly<Record<string, Severity>>;
  thresholds: Readonly<Record<string, ThresholdSettings>>;
  exceptions: readonly AuditExceptionConfig[];
  routing: Readonly<Record<string, AlertRoute[]>>;
  /** Exact-or-glob username lists. */
  isMonitoringIdentity(username: string): boolean;
  isGitopsIdentity(username: string): boolean;
  isOperatorIdentity(username: string): boolean;
  isImpersonatingProxy(username: string): boolean;
  isSecretLister(username: string): boolean;
  crossNamespaceSecretReaders: readonly { user: (v: string) => boolean; namespace: (v: string) => boolean }[];
  privilegedRoles: ReadonlySet<string>;
  privilegedServiceAccounts: (username: string) => boolean;
  isChurnRole(name: string): boolean;
  isSecurityTooling(name: string): boolean;
  adminUiSelectors: readonly { key: string; value: string }[];
  allowLists: AllowLists;
  /** Raw `audit.options.<id>` records. */
  options: Readonly<Record<string, Record<string, unknown>>>;
  /** The audit section as configured, for detections that read keys of their own (baselines). */
  config: AuditConfig;
  /** Problems found while resolving (invalid CIDRs, ...): reported, never fatal. */
  warnings: string[];
}

const union = (defaults: readonly string[], configured: readonly string[] | undefined) => [...new Set([...defaults, ...(configured ?? [])])];

export function resolveAuditSettings(config: AuditConfig = {}): AuditSettings {
  const warnings: string[] = [];
  const platformNamespaces = new Set(union(DEFAULT_PLATFORM_NAMESPACES, config.platformNamespaces));
  const trustedCidrs = new CidrSet(config.trustedCidrs ?? []);
  const threatIps = new CidrSet(config.threatIps ?? []);
  for (const bad of trustedCidrs.invalid) warnings.push(`audit.trustedCidrs: "${bad}" is not an IP address or CIDR (ignored)`);
  for (const bad of threatIps.invalid) warnings.push(`audit.threatIps: "${bad}" is not an IP address or CIDR (ignored)`);
  const adminUiSelectors = union(DEFAULT_ADMIN_UI_SELECTORS, config.adminUiSelectors).flatMap((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      warnings.push(`audit.adminUiSelectors: "${s}" is not key=value (ignored)`);
      return [];
    }
    return [{ key: s.slice(0, eq), value: s.slice(eq + 1) }];
  });
  const allow = config.allowLists;
  const privilegedSAs = globMatcher(config.privilegedServiceAccounts ?? []);
  return {
    platformNamespaces,
    systemNamespaces: new Set([...SYSTEM_NAMESPACES, ...platformNamespaces]),
    trustedImagePrefixes: union(DEFAULT_TRUSTED_IMAGES, config.trustedImages),
    identities: new IdentityClassifier(union(DEFAULT_CONTROL_PLANE_IDENTITIES, config.controlPlaneIdentities)),
    trustedCidrs,
    threatIps,
    enable: new Set(config.enable ?? []),
    disable: new Set(config.disable ?? []),
    severity: config.severity ?? {},
    thresholds: config.thresholds ?? {},
    exceptions: config.exceptions ?? [],
    routing: config.routing ?? {},
    isMonitoringIdentity: globMatcher(config.monitoringIdentities ?? []),
    isGitopsIdentity: globMatcher(config.gitopsIdentities ?? []),
    isOperatorIdentity: globMatcher(config.operatorIdentities ?? []),
    isImpersonatingProxy: globMatcher(config.impersonatingProxies ?? []),
    isSecretLister: globMatcher(union(DEFAULT_SECRET_LISTERS, config.secretListers)),
    crossNamespaceSecretReaders: (config.crossNamespaceSecretReaders ?? []).map((p) => ({ user: globPredicate(p.user), namespace: globPredicate(p.namespace) })),
    privilegedRoles: new Set(union(DEFAULT_PRIVILEGED_ROLES, config.privilegedRoles)),
    privilegedServiceAccounts: privilegedSAs,
    isChurnRole: globMatcher(union(DEFAULT_CHURN_ROLES, config.churnRoles)),
    isSecurityTooling: globMatcher(union(DEFAULT_SECURITY_TOOLING, config.securityTooling)),
    adminUiSelectors,
    allowLists: {
      users: allow?.users ? globMatcher(allow.users) : null,
      namespaces: allow?.namespaces ? globMatcher(allow.namespaces) : null,
      registries: allow?.registries ?? null,
      nodes: allow?.nodes ? globMatcher(allow.nodes) : null,
    },
    options: config.options ?? {},
    config,
    warnings,
  };
}

/** E-IMG: the image is from a trusted (system) registry prefix. */
export function isTrustedImage(settings: AuditSettings, image: string): boolean {
  if (image === '') return false;
  for (const prefix of settings.trustedImagePrefixes) if (image.startsWith(prefix)) return true;
  return EKS_ADDON_IMAGE.test(image);
}
