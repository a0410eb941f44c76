import * as z from 'zod';
import { SEVERITIES } from '../findings/finding.ts';
import { ruleById } from '../rules/registry.ts';
import { messageOf, verdictOf } from './cel.ts';
import { compileAt, parseAs, problemAt, type PolicyDocument } from './document.ts';
import type { CompiledPolicy } from './policy.ts';
import { existingPath, objectError } from './subject.ts';

export const SHIPWATCH_POLICY_KIND = 'ShipwatchPolicy';

/**
 * Shipwatch's own policy format: one CEL expression over `object` that is TRUE when the object complies.
 *
 *   apiVersion: shipwatch.io/v1
 *   kind: ShipwatchPolicy
 *   id: ORG-001                       # the findings' ruleId (also for `severity` and `ignore` in .shipwatch.yaml)
 *   title: Deployments run at least two replicas
 *   severity: medium                  # critical | high | medium | low | info
 *   kinds: [Deployment, StatefulSet]  # object kinds it applies to; "*" for all
 *   expression: has(object.spec.replicas) && object.spec.replicas >= 2
 *   message: runs a single replica
 *   messageExpression: "'runs ' + string(object.spec.replicas) + ' replica'"   # optional, falls back to message
 *   remediation: Set spec.replicas to 2 or more.                                 # optional
 */
const shipwatchPolicySchema = z.strictObject({
  apiVersion: z.literal('shipwatch.io/v1'),
  kind: z.literal(SHIPWATCH_POLICY_KIND),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'an id of letters, digits and _ . / - such as ORG-001')
    .refine((id) => !id.startsWith('vap/'), 'ids starting with vap/ belong to admission policies'),
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  kinds: z.array(z.string().min(1)).min(1),
  expression: z.string().min(1),
  message: z.string().min(1),
  messageExpression: z.string().min(1).optional(),
  remediation: z.string().optional(),
});

const SCOPE = { names: ['object'] };

export function loadShipwatchPolicy(doc: PolicyDocument): CompiledPolicy {
  const policy = parseAs(shipwatchPolicySchema, doc);
  if (ruleById(policy.id)) throw problemAt(doc, ['id'], `${policy.id} is a built-in rule id`);
  const program = compileAt(doc, ['expression'], policy.expression, SCOPE);
  const messageProgram = policy.messageExpression !== undefined ? compileAt(doc, ['messageExpression'], policy.messageExpression, SCOPE) : undefined;
  const allKinds = policy.kinds.includes('*');

  return {
    id: policy.id,
    file: doc.file,
    check({ target, object }, out) {
      const { manifest } = target;
      if (!allKinds && !policy.kinds.includes(manifest.kind)) return;
      const bindings = { object };
      const verdict = verdictOf(program.evaluate(bindings));
      if (verdict === true) return;
      if (verdict === false) {
        out.hits.push({
          policyId: policy.id,
          title: policy.title,
          severity: policy.severity,
          message: messageOf(messageProgram, bindings, policy.message),
          remediation: policy.remediation,
          manifest,
          path: existingPath(manifest.object, program.objectPath),
          index: 0,
        });
      } else {
        out.errors.push(objectError(manifest, `policy ${policy.id} (${doc.file}): expression ${JSON.stringify(policy.expression)} could not be evaluated: ${verdict}`));
      }
    },
  };
}
