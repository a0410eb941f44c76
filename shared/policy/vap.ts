import * as z from 'zod';
import type { CelError, CelValue } from '@bufbuild/cel';
import { SEVERITIES, severityRank, type Severity } from '../findings/finding.ts';
import { messageOf, verdictOf, type CelProgram } from './cel.ts';
import { compileAt, parseAs, problemAt, type PolicyDocument } from './document.ts';
import { matchesResources, matchResourcesSchema, resourceRuleSchema, type AdmissionTarget, type MatchResources } from './match.ts';
import type { CompiledPolicy, PolicyHit, PolicySubject } from './policy.ts';
import { existingPath } from './subject.ts';

/**
 * Kubernetes ValidatingAdmissionPolicy (admissionregistration.k8s.io v1 and v1beta1), run on each
 * scanned object as if it were being created. Offline, without a cluster:
 * - `object` is the scanned object, `oldObject` and `params` are null, `request` is a CREATE by an
 *   empty user, `namespaceObject` is the object's Namespace when it is among the scanned files;
 * - a policy with `spec.paramKind`, or one that calls `authorizer`, cannot run and is reported as skipped;
 * - `namespaceSelector` is evaluated only when the Namespace is scanned, otherwise it matches;
 * - policies run whether or not a binding exists. Bindings in the policies folder narrow what a policy
 *   applies to (their `matchResources`) and set the severity from their `validationActions`:
 *   Deny high, Warn medium, Audit low; without a binding a violation is high. The annotation
 *   `shipwatch.io/severity` overrides both; `shipwatch.io/title` and `shipwatch.io/remediation` fill the finding.
 */
export const VAP_KIND = 'ValidatingAdmissionPolicy';
export const VAP_BINDING_KIND = 'ValidatingAdmissionPolicyBinding';

const apiVersion = z.enum(['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1']);
const celIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a CEL identifier (letters, digits, _)');

const vapSchema = z.object({
  apiVersion,
  kind: z.literal(VAP_KIND),
  metadata: z.object({ name: z.string().min(1), annotations: z.record(z.string(), z.string()).optional() }),
  spec: z
    .object({
      paramKind: z.object({ apiVersion: z.string().optional(), kind: z.string().optional() }).optional(),
      matchConstraints: matchResourcesSchema.extend({ resourceRules: z.array(resourceRuleSchema).min(1) }),
      matchConditions: z.array(z.object({ name: z.string().min(1), expression: z.string().min(1) })).optional(),
      variables: z.array(z.object({ name: celIdentifier, expression: z.string().min(1) })).optional(),
      validations: z
        .array(
          z.object({
            expression: z.string().min(1),
            message: z.string().optional(),
            messageExpression: z.string().min(1).optional(),
            reason: z.enum(['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge']).optional(),
          }),
        )
        .optional(),
      auditAnnotations: z.array(z.object({ key: z.string(), valueExpression: z.string() })).optional(),
      failurePolicy: z.enum(['Fail', 'Ignore']).optional(),
    })
    .refine((spec) => (spec.validations?.length ?? 0) + (spec.auditAnnotations?.length ?? 0) > 0, {
      message: 'a policy needs validations (or auditAnnotations)',
      path: ['validations'],
    }),
});

const ACTION_SEVERITY = { Deny: 'high', Warn: 'medium', Audit: 'low' } as const satisfies Record<string, Severity>;

const bindingSchema = z.object({
  apiVersion,
  kind: z.literal(VAP_BINDING_KIND),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z.object({
    policyName: z.string().min(1),
    validationActions: z.array(z.enum(['Deny', 'Warn', 'Audit'])).min(1),
    matchResources: matchResourcesSchema.optional(),
    paramRef: z.unknown().optional(),
  }),
});

export interface VapBinding {
  policyName: string;
  severity: Severity;
  matchResources?: MatchResources;
}

export function loadVapBinding(doc: PolicyDocument): VapBinding {
  const { spec } = parseAs(bindingSchema, doc);
  const severity = spec.validationActions.map((a) => ACTION_SEVERITY[a]).sort((a, b) => severityRank(a) - severityRank(b))[0];
  return { policyName: spec.policyName, severity, matchResources: spec.matchResources };
}

export type VapLoad = { policy: CompiledPolicy } | { skipped: { file: string; name: string; reason: string } };

const ANNOTATION_SEVERITY = 'shipwatch.io/severity';
/** What every admission expression can read (`authorizer` only to recognise policies that cannot run offline). */
const NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'authorizer'];

interface Validation {
  program: CelProgram;
  messageProgram?: CelProgram;
  message: string;
  /** The denial's reason, shown when the policy states one. */
  reason?: string;
}

export function loadVap(doc: PolicyDocument, bindings: readonly VapBinding[]): VapLoad {
  const { metadata, spec } = parseAs(vapSchema, doc);
  const id = `vap/${metadata.name}`;
  if (spec.paramKind) {
    const kind = spec.paramKind.kind ?? 'an object';
    return { skipped: { file: doc.file, name: id, reason: `needs parameters (spec.paramKind: ${kind}), which an offline scan does not have` } };
  }
  const annotations = metadata.annotations ?? {};
  const annotatedSeverity = annotations[ANNOTATION_SEVERITY];
  if (annotatedSeverity !== undefined && !(SEVERITIES as readonly string[]).includes(annotatedSeverity)) {
    throw problemAt(doc, ['metadata', 'annotations', ANNOTATION_SEVERITY], `expected one of ${SEVERITIES.join(', ')}`);
  }

  const variables = spec.variables ?? [];
  const variableNames: string[] = [];
  const variablePrograms = variables.map((v, i) => {
    if (variableNames.includes(v.name)) throw problemAt(doc, ['spec', 'variables', i, 'name'], `variable ${v.name} is declared twice`);
    // A variable reads only the variables declared before it (which also rules out cycles).
    const program = compileAt(doc, ['spec', 'variables', i, 'expression'], v.expression, { names: NAMES, variables: [...variableNames] });
    variableNames.push(v.name);
    return { name: v.name, program };
  });
  const conditions = (spec.matchConditions ?? []).map((c, i) => ({
    name: c.name,
    program: compileAt(doc, ['spec', 'matchConditions', i, 'expression'], c.expression, { names: NAMES }),
  }));
  const scope = { names: NAMES, variables: variableNames };
  const validations: Validation[] = (spec.validations ?? []).map((v, i) => ({
    program: compileAt(doc, ['spec', 'validations', i, 'expression'], v.expression, scope),
    messageProgram: v.messageExpression !== undefined ? compileAt(doc, ['spec', 'validations', i, 'messageExpression'], v.messageExpression, scope) : undefined,
    message: v.message?.trim() ? v.message : `failed expression: ${v.expression.trim()}`,
    reason: v.reason,
  }));
  const programs = [...variablePrograms, ...conditions, ...validations].map((p) => p.program);
  if (programs.some((p) => p.references.has('authorizer'))) {
    return { skipped: { file: doc.file, name: id, reason: 'calls the authorizer, which needs a live API server' } };
  }

  const failClosed = (spec.failurePolicy ?? 'Fail') === 'Fail';
  const ownBindings = bindings.filter((b) => b.policyName === metadata.name);
  /** null when bindings exist and none applies to the object. */
  const severityFor = (target: AdmissionTarget): Severity | null => {
    const applying = ownBindings.filter((b) => !b.matchResources || matchesResources(b.matchResources, target));
    if (ownBindings.length > 0 && applying.length === 0) return null;
    if (annotatedSeverity !== undefined) return annotatedSeverity as Severity;
    return applying.map((b) => b.severity).sort((a, b) => severityRank(a) - severityRank(b))[0] ?? 'high';
  };

  return {
    policy: {
      id,
      file: doc.file,
      check(subject, out) {
        const { target } = subject;
        if (!matchesResources(spec.matchConstraints, target)) return;
        const severity = severityFor(target);
        if (severity === null) return;
        const hit = (index: number, message: string, path: readonly string[] = []): PolicyHit => ({
          policyId: id,
          title: annotations['shipwatch.io/title'] ?? `ValidatingAdmissionPolicy ${metadata.name}`,
          severity,
          message,
          remediation: annotations['shipwatch.io/remediation'],
          manifest: target.manifest,
          path: existingPath(target.manifest.object, path),
          index,
        });
        const bindings = admissionBindings(subject, variablePrograms);

        // Any false condition skips the policy; otherwise an error applies the failure policy.
        let conditionError: string | null = null;
        for (const condition of conditions) {
          const verdict = verdictOf(condition.program.evaluate(bindings));
          if (verdict === false) return;
          if (typeof verdict === 'string') conditionError ??= `match condition "${condition.name}" could not be evaluated: ${verdict}`;
        }
        if (conditionError !== null) {
          if (failClosed) out.hits.push(hit(-1, `${conditionError}; failurePolicy Fail rejects the object`));
          return;
        }

        validations.forEach((validation, index) => {
          const verdict = verdictOf(validation.program.evaluate(bindings));
          if (verdict === false) {
            const message = messageOf(validation.messageProgram, bindings, validation.message);
            out.hits.push(hit(index, validation.reason ? `${message} (reason: ${validation.reason})` : message, validation.program.objectPath));
          } else if (typeof verdict === 'string' && failClosed) {
            const expression = JSON.stringify(validation.program.source.trim());
            out.hits.push(hit(index, `expression ${expression} could not be evaluated: ${verdict}; failurePolicy Fail rejects the object`));
          }
        });
      },
    },
  };
}

/**
 * The variables of an admission expression. `variables.<name>` is bound by its qualified name and
 * evaluated on first read, once per object, as the API server does.
 */
function admissionBindings(subject: PolicySubject, variables: readonly { name: string; program: CelProgram }[]): Record<string, unknown> {
  const bindings: Record<string, unknown> = {
    object: subject.object,
    oldObject: null,
    request: subject.request,
    params: null,
    namespaceObject: subject.namespaceObject,
  };
  for (const variable of variables) {
    let value: CelValue | CelError | undefined;
    let evaluated = false;
    Object.defineProperty(bindings, `variables.${variable.name}`, {
      enumerable: true,
      get() {
        if (!evaluated) {
          evaluated = true;
          value = variable.program.evaluate(bindings);
        }
        return value;
      },
    });
  }
  return bindings;
}
