import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const ingress = (annotations: string, apiVersion = 'networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: web
  annotations:
${annotations}spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;

const SNIPPETS = ['configuration-snippet', 'server-snippet', 'auth-snippet', 'stream-snippet', 'modsecurity-snippet'];

describe('K8S-065 ingress-nginx snippet annotations', () => {
  for (const snippet of SNIPPETS) {
    it(`fires on nginx.ingress.kubernetes.io/${snippet}, on the annotation line`, () => {
      const yaml = ingress(`    kubernetes.io/ingress.class: nginx\n    nginx.ingress.kubernetes.io/${snippet}: |\n      more_set_headers "X-Debug: 1";\n`);
      const [f, ...rest] = findingsFor('K8S-065', yaml);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expect(f.message).toBe(`annotation nginx.ingress.kubernetes.io/${snippet} injects raw NGINX configuration`);
      expect(f.location?.line).toBe(7);
    });
  }

  it('reports each snippet annotation, also on extensions/v1beta1 Ingresses and with empty values', () => {
    const annotations = `    nginx.ingress.kubernetes.io/server-snippet: ""\n    nginx.ingress.kubernetes.io/auth-snippet: "return 200;"\n`;
    expect(findingsFor('K8S-065', ingress(annotations, 'extensions/v1beta1'))).toHaveLength(2);
  });

  it('passes for other ingress-nginx annotations and other kinds', () => {
    expect(findingsFor('K8S-065', ingress(`    nginx.ingress.kubernetes.io/rewrite-target: /\n    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n`))).toEqual([]);
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {nginx.ingress.kubernetes.io/server-snippet: x}\n`;
    expect(findingsFor('K8S-065', configMap)).toEqual([]);
  });

  it('does not throw on malformed annotations', () => {
    expect(findingsFor('K8S-065', `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x, annotations: [a]}\n`)).toEqual([]);
  });
});
