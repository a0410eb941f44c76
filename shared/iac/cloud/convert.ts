// Reading template values the way the providers coerce them ("true" is a bool, 1.31 a version string).
import { isUnknown, UNKNOWN, type Maybe } from './model.ts';

export const toBool = (v: unknown): Maybe<boolean> => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : UNKNOWN);

export const toText = (v: unknown): Maybe<string> => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : UNKNOWN);

export const toTextList = (v: unknown): Maybe<Maybe<string>[]> => (Array.isArray(v) ? v.map(toText) : UNKNOWN);

/** A value that names something (a key, an SSH key pair): an empty string names nothing. */
export const presentText = (v: unknown): Maybe<string | null> => (isUnknown(v) ? UNKNOWN : v === '' || v === null ? null : toText(v));
