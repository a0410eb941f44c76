// TEMPORARY placeholder: the secret scanner is being written.
import type { Severity } from '../findings/finding.ts';
import type { SecretPattern } from './pattern.ts';
export interface SecretFinding { rule: SecretPattern; severity: Severity; message: string; line: number; masked: string }
export function scanSecrets(_path: string, _text: string): SecretFinding[] { return []; }
