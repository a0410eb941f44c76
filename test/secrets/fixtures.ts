import { expect } from 'vitest';
import { scanSecrets, type SecretFinding } from '../../shared/secrets/scan.ts';

export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64 = `${ALNUM}+/`;
export const URL_SAFE = `${ALNUM}_-`;
export const HEX = '0123456789abcdef';

/**
 * A random-looking string, the same on every run (a small seeded generator), so fixtures look like
 * real secrets without being anybody's.
 */
export function fake(alphabet: string, length: number, seed: number): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const random = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(random * alphabet.length)];
  }
  return out;
}

/** Findings of one pattern in a text (default path: a plain config file outside every allow-rule). */
export function hitsOf(ruleId: string, text: string, path = 'config/app.env'): SecretFinding[] {
  return scanSecrets(path, text).filter((f) => f.rule.id === ruleId);
}

/** The raw secret appears in no returned field (message, masked, ...). */
export function expectNoRawSecret(findings: SecretFinding[], secret: string): void {
  for (const f of findings) expect(JSON.stringify({ ...f, rule: f.rule.id })).not.toContain(secret);
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}
