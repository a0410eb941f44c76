import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { rulesSection } from '../shared/docs/readme.ts';
import { shipwatch } from './helpers/cli.ts';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('lists exactly the rules in the registry (run `npm run docs` after adding a rule)', () => {
    expect(readme).toBe(rulesSection(readme));
  });

  it('shows the same rule list as `shipwatch rules --format markdown`', () => {
    const cli = shipwatch(['rules', '--format', 'markdown']).stdout;
    expect(readme).toContain(cli.trim());
  });

  it('documents the test command that .ci/run runs', () => {
    const ci = readFileSync(join(import.meta.dirname, '..', '.ci', 'run'), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });

  it('gives cluster operators a well-formed webhook kubeconfig and audit policy', () => {
    const section = readme.slice(readme.indexOf('## Kubernetes audit logs'), readme.indexOf('## CI integration'));
    const documents = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => yaml.load(m[1]) as Record<string, unknown>);
    const kubeconfig = documents.find((d) => d.kind === 'Config') as { clusters: { cluster: { server: string } }[] };
    expect(kubeconfig.clusters[0].cluster.server).toMatch(/\/audit\/[a-z0-9-]+$/);
    const policy = documents.find((d) => d.kind === 'Policy') as { apiVersion: string; rules: { level: string; resources?: { resources: string[] }[] }[] };
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    // Secret bodies never reach the log: the first rule naming secrets logs them at Metadata.
    expect(policy.rules.find((r) => r.resources?.some((g) => g.resources.includes('secrets')))?.level).toBe('Metadata');
    expect(policy.rules.at(-1)).toEqual({ level: 'Metadata' });
    expect(section).toMatch(/--audit-webhook-truncate-max-batch-size=\d+/);
  });
});
