/**
 * The Shipwatch core library's public entry: the scan engine, configuration, the findings model
 * and exact version comparison. Everything else is reachable by its module path.
 */
export { scanSources, type ScanOptions } from './scan/engine.ts';
export type { ScanError, ScanNotice, ScanResult } from './scan/result.ts';
export type { SourceFile } from './scan/sources.ts';
export { ConfigError, parseConfig, type ShipwatchConfig } from './config/config.ts';
export { SEVERITIES, type Finding, type FindingSource, type Severity } from './findings/finding.ts';
export { compareVersions, VERSION_SCHEMES, type VersionScheme } from './vuln/versions/index.ts';
