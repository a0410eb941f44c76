/**
 * CVSS v3.0 / v3.1 base scores from a vector string (FIRST's CVSS v3.1 specification, section 7),
 * and the qualitative severity a score maps to. Only the eight base metrics matter; temporal and
 * environmental metrics in the vector are accepted and ignored.
 */
import type { Severity } from '../findings/finding.ts';

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;
/** Privileges Required weighs more when the scope changes. */
const PRIVILEGES = { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } } as const;
const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/** Scores by vector: advisories share a few thousand distinct vectors. */
const scores = new Map<string, number | null>();

/** The base score (0.0-10.0), or null when the vector is not a complete CVSS v3 base vector. */
export function cvss3BaseScore(vector: string): number | null {
  let score = scores.get(vector);
  if (score === undefined) {
    score = computeBaseScore(vector);
    if (scores.size >= 50_000) scores.clear();
    scores.set(vector, score);
  }
  return score;
}

function computeBaseScore(vector: string): number | null {
  const parts = vector.trim().split('/');
  const prefix = /^CVSS:3\.([01])$/.exec(parts[0] ?? '');
  if (!prefix) return null;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value, extra] = part.split(':');
    if (!key || !value || extra !== undefined || metrics.has(key)) return null;
    metrics.set(key, value);
  }
  if (!BASE_METRICS.every((m) => metrics.has(m))) return null;
  const pick = <T extends Record<string, number>>(table: T, metric: string): number | undefined =>
    table[metrics.get(metric) as keyof T] as number | undefined;

  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') return null;
  const av = pick(WEIGHTS.AV, 'AV');
  const ac = pick(WEIGHTS.AC, 'AC');
  const pr = pick(PRIVILEGES[scope], 'PR');
  const ui = pick(WEIGHTS.UI, 'UI');
  const c = pick(WEIGHTS.C, 'C');
  const i = pick(WEIGHTS.I, 'I');
  const a = pick(WEIGHTS.A, 'A');
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined || c === undefined || i === undefined || a === undefined) {
    return null;
  }

  const impactSubScore = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * impactSubScore : 7.52 * (impactSubScore - 0.029) - 3.25 * (impactSubScore - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const roundUp = prefix[1] === '1' ? roundUp31 : roundUp30;
  const raw = scope === 'U' ? impact + exploitability : 1.08 * (impact + exploitability);
  return roundUp(Math.min(raw, 10));
}

/** v3.1 rounds up to one decimal on an integer basis, so 4.000000000000001 stays 4.0. */
function roundUp31(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

/** The CVSS qualitative rating, with "None" (0.0) as info. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
