import { render } from 'preact';
import { loadConfig } from './api.ts';
import { App } from './app.tsx';
import { completeSignIn } from './auth.ts';

const root = document.getElementById('app')!;

async function start(): Promise<void> {
  const config = await loadConfig();
  if (config.auth) await completeSignIn(config.auth);
  root.textContent = '';
  render(<App />, root);
}

start().catch((e: Error) => {
  // Text only: the message may echo anything the server or the sign-in answered.
  root.textContent = `Shipwatch could not start: ${e.message}`;
});
