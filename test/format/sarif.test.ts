import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FINGERPRINT_KEY, formatSarif, relativeUri, SARIF_LEVELS } from '../../shared/format/sarif.ts';
import { summarize, type Finding } from '../../shared/findings/finding.ts';
import { scanSources, type ScanOptions } from '../../shared/scan/engine.ts';
import type { ScanResult } from '../../shared/scan/result.ts';
import { PRIVILEGED_DEPLOYMENT } from './fixtures.ts';

/** The parts of SARIF 2.1.0 that GitHub code scanning relies on, written down for this test. */
const sarifSubset = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['$schema', 'version', 'runs'],
  properties: {
    $schema: { type: 'string', pattern: 'sarif' },
    version: { const: '2.1.0' },
    runs: { type: 'array', minItems: 1, maxItems: 1, items: { $ref: '#/$defs/run' } },
  },
  $defs: {
    text: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
    level: { enum: ['error', 'warning', 'note'] },
    location: {
      type: 'object',
      required: ['physicalLocation'],
      properties: {
        physicalLocation: {
          type: 'object',
          required: ['artifactLocation', 'region'],
          properties: {
            artifactLocation: {
              type: 'object',
              required: ['uri', 'uriBaseId'],
              properties: { uri: { type: 'string', minLength: 1, not: { pattern: '^(?:[a-z]+:|\\./)' } }, uriBaseId: { const: '%SRCROOT%' } },
            },
            region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 } } },
          },
        },
      },
    },
    run: {
      type: 'object',
      required: ['tool', 'results'],
      properties: {
        tool: {
          type: 'object',
          required: ['driver'],
          properties: {
            driver: {
              type: 'object',
              required: ['name', 'informationUri', 'version', 'rules'],
              properties: {
                name: { const: 'shipwatch' },
                informationUri: { type: 'string', pattern: '^https://' },
                version: { type: 'string', minLength: 1 },
                rules: { type: 'array', items: { $ref: '#/$defs/rule' } },
              },
            },
          },
        },
        invocations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['executionSuccessful'],
            properties: {
              executionSuccessful: { type: 'boolean' },
              toolExecutionNotifications: {
                type: 'array',
                items: { type: 'object', required: ['message'], properties: { level: { enum: ['error', 'warning', 'note'] }, message: { $ref: '#/$defs/text' } } },
              },
            },
          },
        },
        results: { type: 'array', items: { $ref: '#/$defs/result' } },
      },
    },
    rule: {
      type: 'object',
      required: ['id', 'name', 'shortDescription', 'fullDescription', 'help', 'defaultConfiguration', 'properties'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
        shortDescription: { $ref: '#/$defs/text' },
        fullDescription: { $ref: '#/$defs/text' },
        help: { type: 'object', required: ['text', 'markdown'], properties: { text: { type: 'string', minLength: 1 }, markdown: { type: 'string', minLength: 1 } } },
        defaultConfiguration: { type: 'object', required: ['level'], properties: { level: { $ref: '#/$defs/level' } } },
        properties: {
          type: 'object',
          required: ['security-severity', 'tags'],
          properties: {
            'security-severity': { type: 'string', pattern: '^(?:10(?:\\.0)?|\\d(?:\\.\\d)?)$' },
            tags: { type: 'array', items: { type: 'string' }, contains: { const: 'security' } },
          },
        },
      },
    },
    result: {
      type: 'object',
      required: ['ruleId', 'ruleIndex', 'level', 'message', 'partialFingerprints'],
      properties: {
        ruleId: { type: 'string' },
        ruleIndex: { type: 'integer', minimum: 0 },
        level: { $ref: '#/$defs/level' },
        message: { $ref: '#/$defs/text' },
        locations: { type: 'array', minItems: 1, items: { $ref: '#/$defs/location' } },
        partialFingerprints: {
          type: 'object',
          required: ['shipwatchFingerprint/v1'],
          properties: { 'shipwatchFingerprint/v1': { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
        suppressions: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['kind', 'justification'], properties: { kind: { enum: ['inSource', 'external'] }, justification: { type: 'string', minLength: 1 } } },
        },
      },
    },
  },
};
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(sarifSubset);

const web = `${PRIVILEGED_DEPLOYMENT}---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  annotations: {shipwatch.io/skip: K8S-001}
spec:
  containers:
  - name: shell
    image: busybox:1.36
    securityContext: {privileged: true}
`;
const legacy = `apiVersion: v1
kind: Pod
metadata:
  name: old
spec:
  containers:
  - name: app
    image: app:1
    securityContext: {privileged: true}
`;

function scan(options: ScanOptions = {}): ScanResult {
  return scanSources(
    [
      { path: 'deploy/web.yaml', text: web },
      { path: 'legacy/old.yaml', text: legacy },
      { path: 'broken.yaml', text: 'apiVersion: v1\nkind: [' },
    ],
    { config: { ignore: [{ rule: 'K8S-001', paths: ['legacy/**'], reason: 'legacy app, retired in Q3' }] }, ...options },
  );
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; defaultConfiguration: { level: string }; help: { text: string; markdown: string }; shortDescription: { text: string }; properties: { 'security-severity': string; tags: string[] } }[] } };
    invocations: { toolExecutionNotifications: { level: string; message: { text: string }; locations?: unknown[] }[] }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[];
      partialFingerprints: Record<string, string>;
      suppressions?: { kind: string; justification: string }[];
    }[];
  }[];
}

function sarifOf(result: ScanResult): SarifLog {
  const log = JSON.parse(formatSarif(result));
  expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  return log;
}

describe('formatSarif', () => {
  const result = scan();
  const log = sarifOf(result);
  const run = log.runs[0];
  const rules = run.tool.driver.rules;

  it('is one SARIF 2.1.0 run of the shipwatch driver, with a result per finding in order', () => {
    expect(log.runs).toHaveLength(1);
    expect(run.results.map((r) => r.ruleId)).toEqual(result.findings.map((f) => f.ruleId));
  });

  it('describes exactly the rules used, each once, and points every result at its descriptor', () => {
    const used = [...new Set(result.findings.map((f) => f.ruleId))].sort();
    expect(rules.map((r) => r.id).sort()).toEqual(used);
    for (const r of run.results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('takes rule metadata from the registry', () => {
    const privileged = rules.find((r) => r.id === 'K8S-001')!;
    expect(privileged.shortDescription.text).toBe('Privileged container');
    expect(privileged.defaultConfiguration.level).toBe('error');
    expect(privileged.properties['security-severity']).toBe('9.5');
    expect(privileged.properties.tags).toEqual(expect.arrayContaining(['security', 'CIS-K8S 5.2.2', 'NIST-800-190 4.4.3', 'PCI-DSS 2.2.6']));
    expect(privileged.help.text).toContain('Remove securityContext.privileged');
    expect(privileged.help.markdown).toMatch(/^\*\*Remediation:\*\* Remove securityContext\\\.privileged/);
  });

  it('maps severities to levels: critical/high error, medium warning, low/info note', () => {
    expect(SARIF_LEVELS).toEqual({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
    run.results.forEach((r, i) => expect(r.level).toBe(SARIF_LEVELS[result.findings[i].severity]));
    expect(run.results.find((r) => r.ruleId === 'K8S-001')?.level).toBe('error');
  });

  it('locates results by repository-relative URI and 1-based start line', () => {
    const i = result.findings.findIndex((f) => f.ruleId === 'K8S-001' && !f.suppressed);
    expect(run.results[i].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 13 } } },
    ]);
    expect(run.results[i].message.text).toBe('container "main" runs privileged (Deployment/web -n prod, container main)');
  });

  it('carries the finding fingerprint as a partial fingerprint', () => {
    run.results.forEach((r, i) => expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: result.findings[i].fingerprint }));
    expect(FINGERPRINT_KEY).toBe('shipwatchFingerprint/v1');
  });

  it('marks suppressed findings: in-source for annotations and comments, external for configuration', () => {
    const suppressionsOf = (file: string, container: string) => {
      const i = result.findings.findIndex((f) => f.ruleId === 'K8S-001' && f.location?.file === file && f.container === container);
      expect(i).toBeGreaterThanOrEqual(0);
      return run.results[i].suppressions;
    };
    expect(suppressionsOf('deploy/web.yaml', 'main')).toBeUndefined();
    expect(suppressionsOf('deploy/web.yaml', 'sidecar')).toEqual([{ kind: 'inSource', justification: 'proxy needs iptables' }]);
    expect(suppressionsOf('deploy/web.yaml', 'shell')).toEqual([{ kind: 'inSource', justification: 'suppressed by annotation' }]);
    expect(suppressionsOf('legacy/old.yaml', 'app')).toEqual([{ kind: 'external', justification: 'legacy app, retired in Q3' }]);
  });

  it('reports scan errors as tool notifications with their location', () => {
    const notes = run.invocations[0].toolExecutionNotifications;
    expect(notes.length).toBe(result.errors.length);
    expect(notes[0]).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.yaml' } } }] });
  });

  it('rates a rule by the severity this scan reported, so a repository override shows in GitHub', () => {
    const overridden = sarifOf(scan({ config: { severity: { 'K8S-001': 'medium' } } }));
    const rule = overridden.runs[0].tool.driver.rules.find((r) => r.id === 'K8S-001')!;
    expect(rule.defaultConfiguration.level).toBe('warning');
    expect(rule.properties['security-severity']).toBe('5.5');
  });

  it('falls back to the finding for custom policy ids, and to line 1 when the line is unknown', () => {
    const base = result.findings[0];
    const custom: Finding = {
      ...base,
      ruleId: 'acme/no-team-label',
      severity: 'low',
      title: 'Team label missing',
      message: 'Deployment "web" has no team label',
      remediation: 'Add metadata.labels.team.',
      compliance: [],
      location: { file: './deploy/my app.yaml', line: null },
      suppressed: false,
      suppression: null,
    };
    const findings = [custom];
    const out = sarifOf({ ...result, findings, errors: [], notices: [], summary: summarize(findings) }).runs[0];
    expect(out.tool.driver.rules).toEqual([
      {
        id: 'acme/no-team-label',
        name: 'TeamLabelMissing',
        shortDescription: { text: 'Team label missing' },
        fullDescription: { text: 'Team label missing' },
        help: { text: 'Add metadata.labels.team.', markdown: '**Remediation:** Add metadata\\.labels\\.team\\.' },
        defaultConfiguration: { level: 'note' },
        properties: { 'security-severity': '3.0', tags: ['security'] },
      },
    ]);
    expect(out.results[0].level).toBe('note');
    expect(out.results[0].locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: 'deploy/my%20app.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
  });

  it('omits locations for findings that have no file (images, clusters)', () => {
    const imageFinding: Finding = { ...result.findings[0], source: 'image', location: null };
    const out = sarifOf({ ...result, findings: [imageFinding] }).runs[0];
    expect(out.results[0].locations).toBeUndefined();
  });

  it('turns paths into relative URI references', () => {
    expect(relativeUri('deploy/web.yaml')).toBe('deploy/web.yaml');
    expect(relativeUri('./a/b.yaml')).toBe('a/b.yaml');
    expect(relativeUri('k8s\\win.yaml')).toBe('k8s/win.yaml');
    expect(relativeUri('a dir/50%#1.yaml')).toBe('a%20dir/50%25%231.yaml');
  });
});
