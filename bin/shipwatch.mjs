#!/usr/bin/env node
// Runs the CLI from a bundle of the TypeScript sources, rebuilt with esbuild whenever a source is
// newer than it, so `npx shipwatch` works right after `npm ci` and always runs what is checked out.
import { ensureBundle } from './bundle.mjs';

const { main } = await import(await ensureBundle());
process.exitCode = await main(process.argv.slice(2));
