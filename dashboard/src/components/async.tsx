import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Async<T> = { state: 'loading' } | { state: 'error'; message: string; status?: number } | { state: 'done'; value: T };

/** Runs `load` whenever `key` changes and keeps only the answer to the latest call. */
export function useAsync<T>(load: () => Promise<T>, key: string): [Async<T>, (value: T) => void] {
  const [result, setResult] = useState<Async<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => current && setResult({ state: 'done', value }),
      (e: Error & { status?: number }) => current && setResult({ state: 'error', message: e.message, status: e.status }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return [result, (value: T) => setResult({ state: 'done', value })];
}

/** Loading and error states, or the children for the loaded value. */
export function Loaded<T>({ result, children, what }: { result: Async<T>; what: string; children: (value: T) => ComponentChildren }) {
  if (result.state === 'loading') return <p class="muted" role="status">Loading {what}…</p>;
  if (result.state === 'error') return <p class="error" role="alert">Could not load {what}: {result.message}</p>;
  return <>{children(result.value)}</>;
}
