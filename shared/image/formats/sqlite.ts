/**
 * SQLite through sql.js (SQLite compiled to WebAssembly): no native build, so it bundles into a
 * Lambda. The .wasm file is found next to the sql.js package, or next to the bundle (the Lambda
 * build must copy `sql.js/dist/sql-wasm.wasm` beside it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlite(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ wasmBinary: readFileSync(wasmPath()) as unknown as ArrayBuffer });
  return loading;
}

function wasmPath(): string {
  try {
    return createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  } catch {
    return join(dirname(fileURLToPath(import.meta.url)), 'sql-wasm.wasm');
  }
}
