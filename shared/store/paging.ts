// What both finding stores share about listing: page sizes, the listing order and opaque cursors.
import { severityRank } from '../findings/finding.ts';
import type { StoredFinding } from '../pipeline/model.ts';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** A cursor that this store did not hand out (or that belongs to another query). */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** The page size to use: 50 unless asked, never more than 500, at least 1. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * Listing order: most severe first, then most recently seen, then fingerprint (descending, like a
 * DynamoDB index read backwards), so pages never overlap.
 */
export type ListingKey = Pick<StoredFinding, 'severity' | 'lastSeen' | 'fingerprint'>;

export function compareListing(a: ListingKey, b: ListingKey): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
    (a.fingerprint < b.fingerprint ? 1 : a.fingerprint > b.fingerprint ? -1 : 0)
  );
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The decoded cursor object; the caller checks its fields. */
export function decodeCursor(cursor: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('not base64url');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor from this API');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursorError('not a cursor from this API');
  return value as Record<string, unknown>;
}

/**
 * Findings a DynamoDB visit reads at most unless told otherwise, so an aggregate fits the findings
 * API's time limit; aggregates over more say they are truncated. The embedded store, in memory,
 * visits everything.
 */
export const DYNAMO_VISIT_MAX = 50_000;

/** The text the `text` filter searches: rule, title, message, file, resource, container and target, lower case. */
export function searchText(f: StoredFinding): string {
  const r = f.resource;
  return [f.ruleId, f.title, f.message, f.location?.file, r?.kind, r?.namespace, r?.name, f.container, f.scopeKey]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n')
    .toLowerCase();
}

/** The words of a `text` filter: every one must appear in a finding's search text. */
export function searchWords(text: string | undefined): string[] {
  return text ? text.toLowerCase().split(/\s+/).filter(Boolean) : [];
}
