import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${body}`;

describe('K8S-046 Secret manifest with inline data', () => {
  it('fires on data, on the data line', () => {
    const yaml = secret('type: Opaque\ndata:\n  password: c3VwZXJzZWNyZXQ=\n');
    const [f, ...rest] = findingsFor('K8S-046', yaml);
    expect(rest).toHaveLength(0);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(yaml.split('\n').indexOf('data:') + 1);
  });

  it('fires on stringData, and on both when both are set', () => {
    expect(findingsFor('K8S-046', secret('stringData:\n  password: supersecret\n'))).toHaveLength(1);
    expect(findingsFor('K8S-046', secret('data:\n  a: YQ==\nstringData:\n  b: b\n'))).toHaveLength(2);
  });

  it('fires for other Secret types such as TLS and docker config', () => {
    expect(findingsFor('K8S-046', secret('type: kubernetes.io/tls\ndata:\n  tls.crt: YQ==\n  tls.key: Yg==\n'))).toHaveLength(1);
    expect(findingsFor('K8S-046', secret('type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30=\n'))).toHaveLength(1);
  });

  it('passes on empty or absent data', () => {
    expect(findingsFor('K8S-046', secret('type: Opaque\n'))).toEqual([]);
    expect(findingsFor('K8S-046', secret('data: {}\nstringData: {}\n'))).toEqual([]);
    expect(findingsFor('K8S-046', secret('data: null\nstringData: [a]\n'))).toEqual([]);
  });

  it('passes on service-account-token Secrets', () => {
    expect(findingsFor('K8S-046', secret('type: kubernetes.io/service-account-token\ndata:\n  token: YQ==\n'))).toEqual([]);
  });

  it('passes on SOPS-encrypted Secrets', () => {
    const yaml = secret('data:\n  password: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops:\n  kms: []\n  age:\n  - recipient: age1xyz\n  mac: ENC[AES256_GCM,data:x]\n  version: 3.8.1\n');
    expect(findingsFor('K8S-046', yaml)).toEqual([]);
  });

  it('passes on SealedSecret and ExternalSecret', () => {
    const sealed = 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK\n  template:\n    data:\n      user: app\n';
    const external = 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n  data:\n  - secretKey: password\n    remoteRef: {key: db/password}\n';
    expect(findingsFor('K8S-046', sealed)).toEqual([]);
    expect(findingsFor('K8S-046', external)).toEqual([]);
  });

  it('fires on each Secret of a List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n  data: {x: YQ==}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n  stringData: {y: b}\n`;
    expect(findingsFor('K8S-046', list).map((f) => f.resource?.name)).toEqual(['a', 'b']);
  });

  describe('kustomize secretGenerator', () => {
    const kustomization = (generators: string) =>
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\nsecretGenerator:\n${generators}`;

    it('fires on literals, on the literals line', () => {
      const yaml = kustomization('- name: from-file\n  files: [tls.key]\n- name: db\n  literals:\n  - password=supersecret\n');
      const [f, ...rest] = findingsFor('K8S-046', yaml, { path: 'kustomization.yaml' });
      expect(rest).toHaveLength(0);
      expect(f.message).toContain('"db"');
      expect(f.location).toEqual({ file: 'kustomization.yaml', line: lineOf(yaml, 'literals:') });
    });

    it('passes on generators from files or env files, and on empty literals', () => {
      expect(findingsFor('K8S-046', kustomization('- name: db\n  envs: [db.env]\n  literals: []\n'))).toEqual([]);
    });

    it('ignores other kinds named Kustomization (Flux)', () => {
      const flux = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\nsecretGenerator:\n- name: db\n  literals: [a=b]\n';
      expect(findingsFor('K8S-046', flux)).toEqual([]);
    });
  });
});
