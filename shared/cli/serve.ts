import { startServer } from '../server/serve.ts';
import { parse } from './main.ts';
import { UsageError } from './usage.ts';

/** `shipwatch serve`: runs until interrupted. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'data-dir': { type: 'string' } });
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (got "${values.port}")`);
  const running = await startServer({ port, host: values.host ?? '127.0.0.1', dataDir: values['data-dir'] });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}
