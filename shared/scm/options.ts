/** Where the adapters report retries and give-ups: Powertools' Logger fits, and so does `console`. */
export interface ScmLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How hard the adapters retry, shared by both forges. */
export interface ScmTuning {
  /** Attempts after the first one for 5xx answers and rate limits (default 3). */
  retries?: number;
  /**
   * Milliseconds per unit of retry delay (default 1000): a rate limit's `retry-after` is in
   * seconds, a 5xx retry waits attempt² units. Tests set a few milliseconds.
   */
  retryAfterBaseMs?: number;
  /**
   * GitHub asks integrations to space their writes (one a second, comments three seconds apart),
   * which the throttling plugin does by default. Tests and benchmarks against a stand-in turn it off.
   */
  paceWrites?: boolean;
  /** Largest file `readTree` returns (default 5 MB, the local walk's cap). */
  maxTreeFileBytes?: number;
  log?: ScmLog;
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_AFTER_BASE_MS = 1000;

/** Warnings and errors on the console, the chatter dropped. */
export const consoleLog: ScmLog = {
  debug: () => {},
  info: () => {},
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** `text` cut to at most `max` characters, ending with `mark` when something was cut. */
export function truncate(text: string, max: number, mark = '…'): string {
  if (text.length <= max) return text;
  return text.slice(0, max - mark.length) + mark;
}
