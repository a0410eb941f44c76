import type { Node } from 'constructs';

/** Severities as the findings model names them (shared/findings/finding.ts); infra imports only CDK. */
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type NotifySeverity = (typeof SEVERITIES)[number];

/** Deployment settings read from CDK context (see the list in app.ts). */
export interface ShipwatchConfig {
  notifyMinSeverity: NotifySeverity;
  notifyDigestAbove: number;
  githubApiUrl: string;
  gitlabUrl: string;
  alarmEmail: string | undefined;
}

export const DEFAULT_CONFIG: ShipwatchConfig = {
  notifyMinSeverity: 'high',
  notifyDigestAbove: 10,
  githubApiUrl: 'https://api.github.com',
  gitlabUrl: 'https://gitlab.com',
  alarmEmail: undefined,
};

/**
 * Reads and checks the context values. `-c key=value` always gives strings, cdk.json may give
 * numbers; a wrong value stops the synth with a message that names the key.
 */
export function readConfig(node: Node): ShipwatchConfig {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`context "${key}" must be a string or a number, got ${JSON.stringify(value)}`);
    }
    return String(value).trim();
  };

  return {
    notifyMinSeverity: severity('notifyMinSeverity', text('notifyMinSeverity')),
    notifyDigestAbove: count('notifyDigestAbove', text('notifyDigestAbove')),
    githubApiUrl: httpUrl('githubApiUrl', text('githubApiUrl')) ?? DEFAULT_CONFIG.githubApiUrl,
    gitlabUrl: httpUrl('gitlabUrl', text('gitlabUrl')) ?? DEFAULT_CONFIG.gitlabUrl,
    alarmEmail: email('alarmEmail', text('alarmEmail')),
  };
}

function severity(key: string, value: string | undefined): NotifySeverity {
  if (value === undefined) return DEFAULT_CONFIG.notifyMinSeverity;
  const found = SEVERITIES.find((s) => s === value.toLowerCase());
  if (!found) throw new Error(`context "${key}" must be one of ${SEVERITIES.join(', ')}, got "${value}"`);
  return found;
}

function count(key: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONFIG.notifyDigestAbove;
  if (!/^\d+$/.test(value)) throw new Error(`context "${key}" must be a whole number >= 0, got "${value}"`);
  return Number(value);
}

function httpUrl(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`context "${key}" must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`context "${key}" must be an http(s) URL, got "${value}"`);
  }
  // Clients join paths onto the base; a trailing slash would double it.
  return value.replace(/\/+$/, '');
}

function email(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw new Error(`context "${key}" must be an email address, got "${value}"`);
  }
  return value;
}
