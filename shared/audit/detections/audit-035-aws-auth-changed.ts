import jsyaml from 'js-yaml';
import { actorLabel, registerDetection, type AuditEvent } from '../detection.ts';

const CHANGE_OR_DELETE = new Set(['create', 'update', 'patch', 'delete']);
/** EKS's own identity that re-encrypts the object during KMS migration. */
const EXCEPTED_ACTORS = new Set(['eks:kms-storage-migrator']);

interface Mapping {
  arn: string | null;
  username: string | null;
  groups: string[];
}

/** The mapRoles / mapUsers entries of the written object (RequestResponse on EKS). */
function mappings(event: AuditEvent, field: 'mapRoles' | 'mapUsers', arnKey: 'rolearn' | 'userarn'): Mapping[] | null {
  const data = event.writtenObject?.data as Record<string, unknown> | undefined;
  const text = data?.[field];
  if (typeof text !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = jsyaml.load(text, { schema: jsyaml.JSON_SCHEMA });
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  return parsed
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map((m) => ({
      arn: typeof m[arnKey] === 'string' ? (m[arnKey] as string) : null,
      username: typeof m.username === 'string' ? m.username : null,
      groups: Array.isArray(m.groups) ? m.groups.filter((g): g is string => typeof g === 'string') : [],
    }));
}

export default registerDetection({
  id: 'AUDIT-035',
  severity: 'high',
  tier: 1,
  level: 'M',
  levelNote: 'RequestResponse (EKS default for this object) for the mappings in the evidence',
  title: 'EKS aws-auth identity mapping changed',
  description:
    'The kube-system/aws-auth ConfigMap, which maps IAM roles and users to Kubernetes users and groups, is created, changed or deleted: whoever edits it can grant any IAM principal system:masters.',
  remediation: 'Review the mapRoles/mapUsers entries (especially system:masters groups); revert unexpected mappings and move to EKS access entries with least privilege.',
  mitre: ['T1098'],
  resources: ['configmaps'],
  evaluate(event) {
    if (event.namespace !== 'kube-system' || !CHANGE_OR_DELETE.has(event.verb) || event.subresource !== '') return null;
    const name = event.name || String((event.writtenObject?.metadata as { name?: unknown } | undefined)?.name ?? '');
    if (name !== 'aws-auth' || !event.notFailed || EXCEPTED_ACTORS.has(event.user.username)) return null;
    const roles = mappings(event, 'mapRoles', 'rolearn');
    const users = mappings(event, 'mapUsers', 'userarn');
    const masters = [...(roles ?? []), ...(users ?? [])].filter((m) => m.groups.includes('system:masters')).map((m) => m.arn ?? m.username ?? '?');
    return {
      key: [event.user.username],
      message: `${actorLabel(event)} ${event.verb === 'delete' ? 'deleted' : 'changed'} kube-system/aws-auth${masters.length ? ` (system:masters mapped to ${masters.join(', ')})` : ''}`,
      evidence: { mapRoles: roles, mapUsers: users, systemMasters: masters },
    };
  },
});
