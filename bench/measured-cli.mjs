// Runs the real CLI in this process and reports its peak resident memory on stderr (for the benchmarks).
import { ensureBundle } from '../bin/bundle.mjs';

const { main } = await import(await ensureBundle());
const code = await main(process.argv.slice(2));
process.stderr.write(`maxRssKb=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
