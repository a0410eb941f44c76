// Per-cluster bearer tokens of the audit webhook backend. Each cluster's API server sends its own
// token (the `token` of the webhook kubeconfig); a token only ever opens its own cluster's route.
import { constantTimeEqual } from '../../pipeline/git-webhook.ts';

/** Cluster name -> bearer token. */
export type AuditTokens = ReadonlyMap<string, string>;

/** Cluster names as they appear in the route: letters, digits, `.`, `_`, `-` (EKS allows the same). */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `SHIPWATCH_AUDIT_TOKENS` (local server, tests): `cluster=token,cluster2=token2`. Entries without
 * a `=`, with an invalid cluster name or an empty token are refused with an error naming the entry
 * position (never the token).
 */
export function parseAuditTokens(text: string | undefined): AuditTokens {
  const tokens = new Map<string, string>();
  if (!text?.trim()) return tokens;
  text.split(',').forEach((entry, index) => {
    const trimmed = entry.trim();
    if (!trimmed) return;
    const eq = trimmed.indexOf('=');
    const cluster = eq > 0 ? trimmed.slice(0, eq).trim() : '';
    const token = eq > 0 ? trimmed.slice(eq + 1).trim() : '';
    if (!CLUSTER_NAME.test(cluster) || !token) {
      throw new Error(`SHIPWATCH_AUDIT_TOKENS entry ${index + 1} is not "cluster=token"`);
    }
    tokens.set(cluster, token);
  });
  return tokens;
}

/** The Secrets Manager form (`{ "<cluster>": "<token>" }`); entries that are not non-empty strings are skipped. */
export function auditTokensFromJson(value: unknown): AuditTokens {
  const tokens = new Map<string, string>();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return tokens;
  for (const [cluster, token] of Object.entries(value)) {
    if (CLUSTER_NAME.test(cluster) && typeof token === 'string' && token.length > 0) tokens.set(cluster, token);
  }
  return tokens;
}

export type AuditAuthorization = { ok: true } | { ok: false; statusCode: 401 | 404; message: string };

/**
 * Checks the `Authorization: Bearer <token>` header against the cluster's token. An unknown cluster
 * is a 404 (there is no token to compare with); a missing, malformed or wrong token a 401.
 */
export function authorizeAuditRequest(tokens: AuditTokens, cluster: string, authorization: string | undefined): AuditAuthorization {
  const expected = CLUSTER_NAME.test(cluster) ? tokens.get(cluster) : undefined;
  if (expected === undefined) return { ok: false, statusCode: 404, message: 'unknown cluster' };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!match || !constantTimeEqual(match[1], expected)) return { ok: false, statusCode: 401, message: 'missing or invalid bearer token' };
  return { ok: true };
}
