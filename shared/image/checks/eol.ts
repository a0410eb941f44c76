// End of life of base OS releases (IMG-061), as published by each distribution. "End of life" is the
// end of the last security support the distribution itself gives: Debian LTS, Ubuntu standard support
// (ESM is a paid extension), Alpine branch support, RHEL maintenance support (ELS is paid).
// Rolling distributions (Wolfi, Chainguard, Arch) never reach it. Update the table as releases age out.
import type { OsRelease } from '../model.ts';

/** Release key (see `releaseKey`) -> last day of support, ISO date. */
const END_OF_LIFE: Record<string, Record<string, string>> = {
  debian: {
    '7': '2018-05-31',
    '8': '2020-06-30',
    '9': '2022-06-30',
    '10': '2024-06-30',
    '11': '2026-08-31',
    '12': '2028-06-30',
    '13': '2030-06-30',
  },
  ubuntu: {
    '14.04': '2019-04-30',
    '16.04': '2021-04-30',
    '18.04': '2023-05-31',
    '19.10': '2020-07-17',
    '20.04': '2025-05-31',
    '20.10': '2021-07-22',
    '21.04': '2022-01-20',
    '21.10': '2022-07-14',
    '22.04': '2027-06-01',
    '22.10': '2023-07-20',
    '23.04': '2024-01-25',
    '23.10': '2024-07-11',
    '24.04': '2029-05-31',
    '24.10': '2025-07-10',
  },
  alpine: {
    '3.5': '2018-11-01',
    '3.6': '2019-05-01',
    '3.7': '2019-11-01',
    '3.8': '2020-05-01',
    '3.9': '2020-11-01',
    '3.10': '2021-05-01',
    '3.11': '2021-11-01',
    '3.12': '2022-05-01',
    '3.13': '2022-11-01',
    '3.14': '2023-05-01',
    '3.15': '2023-11-01',
    '3.16': '2024-05-23',
    '3.17': '2024-11-22',
    '3.18': '2025-05-09',
    '3.19': '2025-11-01',
    '3.20': '2026-04-01',
    '3.21': '2026-11-01',
    '3.22': '2027-05-01',
  },
  amzn: {
    '2018.03': '2023-12-31',
    '2': '2026-06-30',
    '2023': '2029-06-30',
  },
  centos: {
    '6': '2020-11-30',
    '7': '2024-06-30',
    '8': '2021-12-31',
    'stream-8': '2024-05-31',
    'stream-9': '2027-05-31',
  },
  rhel: {
    '6': '2020-11-30',
    '7': '2024-06-30',
    '8': '2029-05-31',
    '9': '2032-05-31',
  },
  rocky: {
    '8': '2029-05-31',
    '9': '2032-05-31',
  },
  almalinux: {
    '8': '2029-05-31',
    '9': '2032-05-31',
  },
};

const MAJOR_ONLY = new Set(['debian', 'centos', 'rhel', 'rocky', 'almalinux']);

/** How the table names a release: Debian/RHEL family by major version, Alpine and Ubuntu by branch. */
function releaseKey(os: OsRelease): string | null {
  const version = os.versionId?.trim();
  if (!version) return null;
  if (os.id === 'centos' && /stream/i.test(os.prettyName ?? '')) return `stream-${version.split('.')[0]}`;
  if (MAJOR_ONLY.has(os.id)) return version.split('.')[0];
  if (os.id === 'alpine') return version.split('.').slice(0, 2).join('.');
  return version;
}

export interface EndOfLife {
  release: string;
  /** Last day of support (ISO date). */
  date: string;
}

/** When the OS release stops (or stopped) getting security updates; null when the table does not know it. */
export function endOfLife(os: OsRelease): EndOfLife | null {
  const key = releaseKey(os);
  const date = key === null ? undefined : END_OF_LIFE[os.id]?.[key];
  return date === undefined ? null : { release: key!, date };
}

/** Whether support has ended by `now` (the whole last day still counts as supported). */
export function isPastEndOfLife(eol: EndOfLife, now: Date): boolean {
  return now.toISOString().slice(0, 10) > eol.date;
}
