import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const service = (spec: string, apiVersion = 'v1') =>
  `apiVersion: ${apiVersion}\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n${spec}`;

describe('K8S-063 Service with externalIPs', () => {
  it('fires on a non-empty spec.externalIPs, on its line', () => {
    const yaml = service(`  externalIPs:\n  - 203.0.113.10\n  - 203.0.113.11\n`);
    const [f, ...rest] = findingsFor('K8S-063', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.message).toBe('spec.externalIPs routes 203.0.113.10, 203.0.113.11 to this Service');
    expect(f.location?.line).toBe(yaml.split('\n').indexOf('  externalIPs:') + 1);
  });

  it('passes without externalIPs, with an empty list or a malformed value', () => {
    for (const spec of ['', '  externalIPs: []\n', '  externalIPs: null\n', '  externalIPs: 203.0.113.10\n', '  type: LoadBalancer\n']) {
      expect(findingsFor('K8S-063', service(spec))).toEqual([]);
    }
  });

  it('only looks at the core Service (not a Knative Service)', () => {
    expect(findingsFor('K8S-063', service(`  externalIPs: [203.0.113.10]\n`, 'serving.knative.dev/v1'))).toEqual([]);
  });
});
