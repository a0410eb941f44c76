import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanSources, type ScanOptions } from '../../shared/scan/engine.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import type { SourceFile } from '../../shared/scan/sources.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The files under fixture folders, with paths relative to the fixtures root (as a scan root would give them). */
export function fixtureFiles(...dirs: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: relative(FIXTURES, full), text: readFileSync(full, 'utf8') });
    }
  };
  for (const dir of dirs) {
    const full = join(FIXTURES, dir);
    if (statSync(full).isDirectory()) walk(full);
    else out.push({ path: dir, text: readFileSync(full, 'utf8') });
  }
  return out;
}

export function scanFixtures(dirs: string[], options: ScanOptions = {}) {
  return scanSources(fixtureFiles(...dirs), options);
}

/** `RULE@file:line` for each finding, sorted: what a reviewer checks against the fixture. */
export const located = (findings: readonly Finding[]) => findings.map((f) => `${f.ruleId}@${f.location?.file}:${f.location?.line}`).sort();

/** Scans one in-memory file. */
export function scanOne(path: string, text: string, options: ScanOptions = {}) {
  return scanSources([{ path, text }], options);
}

export const ruleIds = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
