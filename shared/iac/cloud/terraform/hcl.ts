// HCL2 -> JSON with @cdktf/hcl2json, called synchronously.
//
// The package's `parse()` is async only because it loads its Go WebAssembly module asynchronously;
// the exported Go function itself answers through its callback before returning. The scan engine is
// synchronous (scanSources is a pure function the CLI, Lambdas and server share), so this module
// loads the same WebAssembly module with the synchronous WebAssembly API, once, on the first
// Terraform file, and calls the Go function directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

type GoCallback = (error: string | null, result: string | null) => void;
interface Hcl2JsonExports {
  parse(filename: string, text: string, done: GoCallback): void;
}

/** The global object the Go program registers its functions on (fixed by the package). */
const GO_EXPORTS_GLOBAL = '__parse_terraform_config_wasm__';

let loaded: Hcl2JsonExports | null = null;

function load(): Hcl2JsonExports {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@cdktf/hcl2json/package.json'));
  // Defines globalThis.Go (the Go WebAssembly runtime shim shipped with the package).
  require(join(root, 'wasm', 'bridge_wasm_exec.js'));
  const Go = (globalThis as unknown as { Go: new () => { importObject: WebAssembly.Imports; run(instance: WebAssembly.Instance): Promise<void> } }).Go;
  const go = new Go();
  const exports = {} as Hcl2JsonExports;
  (globalThis as Record<string, unknown>)[GO_EXPORTS_GLOBAL] = exports;
  const module = new WebAssembly.Module(gunzipSync(readFileSync(join(root, 'main.wasm.gz'))));
  // Runs the Go main until it blocks, which happens after it registered its functions.
  void go.run(new WebAssembly.Instance(module, go.importObject));
  if (typeof exports.parse !== 'function') throw new Error('@cdktf/hcl2json did not register its parser');
  loaded = exports;
  return loaded;
}

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** The JSON form of one HCL file (blocks as arrays, expressions as `${...}` strings); throws HclSyntaxError. */
export function parseHcl(filename: string, text: string): Record<string, unknown> {
  let out: { error: string | null; result: string | null } | null = null;
  load().parse(filename, text, (error, result) => (out = { error, result }));
  if (out === null) throw new Error('@cdktf/hcl2json did not answer synchronously');
  const { error, result } = out as { error: string | null; result: string | null };
  if (error) {
    // "parse config: [main.tf:12,3-4: Missing expression; ...]" or "main.tf:2,10-3,1: ..."
    const position = /:(\d+),\d+(?:-(?:\d+,)?\d+)?:/.exec(error);
    throw new HclSyntaxError(error.replace(/^parse config: \[|\]$/g, ''), position ? Number(position[1]) : null);
  }
  return JSON.parse(result ?? '{}') as Record<string, unknown>;
}
