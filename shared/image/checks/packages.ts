// Package inventory helpers: which packages are the distro's (OS) and which are language packages.
import type { InstalledPackage } from '../model.ts';

const LANGUAGE_ECOSYSTEMS = new Set(['npm', 'PyPI', 'Go', 'Maven', 'crates.io', 'RubyGems', 'NuGet', 'Packagist', 'Pub', 'Hex']);

/** Whether a package came from the distro's package database (dpkg, apk, rpm) rather than a language manifest. */
export function isOsPackage(p: InstalledPackage): boolean {
  return !LANGUAGE_ECOSYSTEMS.has(p.ecosystem);
}

/** OS packages whose binary name matches. */
export function osPackagesNamed(packages: readonly InstalledPackage[], matches: (name: string) => boolean): InstalledPackage[] {
  return packages.filter((p) => isOsPackage(p) && matches(p.name));
}
