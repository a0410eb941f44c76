import { finalStage, lineage } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

export default dockerRule({
  id: 'DOCKER-018',
  severity: 'low',
  offByDefault: true, // Kubernetes ignores HEALTHCHECK: probes replace it
  title: 'No HEALTHCHECK',
  description:
    'The final stage (or the earlier stage it builds on) has no HEALTHCHECK, so Docker cannot tell a hung container from a healthy one. `HEALTHCHECK NONE` is a deliberate choice and passes. Off by default: images deployed to Kubernetes use probes instead.',
  remediation: 'Add `HEALTHCHECK CMD <command that fails when the service is unhealthy>` to the final stage, or `HEALTHCHECK NONE` to opt out explicitly.',
  compliance: ['CIS-DOCKER 4.6', 'NIST-800-190 4.4.3'],
  *check({ dockerfile }) {
    const final = finalStage(dockerfile);
    if (!final) return;
    if (lineage(dockerfile, final).some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return;
    yield { line: final.from.line, message: 'the final stage has no HEALTHCHECK', field: 'final-stage HEALTHCHECK' };
  },
});
