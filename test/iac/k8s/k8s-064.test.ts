import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const ingress = (spec: string, apiVersion = 'networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
${spec}  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
`;

const TLS = `  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n`;

describe('K8S-064 Ingress without TLS', () => {
  for (const apiVersion of ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']) {
    it(`fires for a ${apiVersion} Ingress without spec.tls, on the spec line`, () => {
      const yaml = ingress('', apiVersion);
      const [f, ...rest] = findingsFor('K8S-064', yaml);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('medium');
      expect(f.message).toBe('the Ingress sets no spec.tls: traffic to its hosts is not encrypted');
      expect(f.location?.line).toBe(6);
    });

    it(`passes for a ${apiVersion} Ingress with spec.tls`, () => {
      expect(findingsFor('K8S-064', ingress(TLS, apiVersion))).toEqual([]);
    });
  }

  it('fires on an empty or malformed spec.tls, on the tls line', () => {
    for (const tls of ['  tls: []\n', '  tls: {}\n', '  tls: null\n']) {
      const [f] = findingsFor('K8S-064', ingress(tls));
      expect(f.location?.line).toBe(7);
    }
  });

  it('does not throw on an Ingress without spec, and ignores other Ingress kinds', () => {
    expect(findingsFor('K8S-064', `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n`)).toHaveLength(1);
    expect(findingsFor('K8S-064', `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: [1]\n`)).toHaveLength(1);
    expect(findingsFor('K8S-064', ingress('', 'example.com/v1'))).toEqual([]);
  });
});
