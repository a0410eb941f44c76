// Sign-in for the deployed dashboard: the Cognito hosted UI with the authorization code flow and
// PKCE (a public client, no secret in the page). Tokens live in this tab's sessionStorage only.
import type { DashboardConfig } from '../../shared/server/dashboard.ts';

type Auth = NonNullable<DashboardConfig['auth']>;

const TOKENS = 'shipwatch.tokens';
const VERIFIER = 'shipwatch.pkce';

interface Tokens {
  accessToken: string;
  expiresAt: number;
}

const redirectUri = () => `${location.origin}${location.pathname}`;

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Sends the browser to the hosted UI; it comes back with `?code=...`. */
export async function signIn(auth: Auth): Promise<never> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER, JSON.stringify({ verifier, state, hash: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: auth.userPoolClientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`${auth.domain}/oauth2/authorize?${params}`);
  return new Promise<never>(() => {});
}

/** Finishes a sign-in when the page is the hosted UI's redirect; true when it did. */
export async function completeSignIn(auth: Auth): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const pending = JSON.parse(sessionStorage.getItem(VERIFIER) ?? 'null') as { verifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem(VERIFIER);
  if (!pending || pending.state !== params.get('state')) throw new Error('the sign-in answer does not belong to this tab; sign in again');
  const res = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.userPoolClientId, code, redirect_uri: redirectUri(), code_verifier: pending.verifier }),
  });
  if (!res.ok) throw new Error(`sign-in failed (${res.status})`);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  const tokens: Tokens = { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in - 60) * 1000 };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  history.replaceState(null, '', `${location.pathname}${pending.hash}`);
  return true;
}

/** A current access token, signing in first when there is none. */
export async function accessToken(auth: Auth): Promise<string> {
  const tokens = JSON.parse(sessionStorage.getItem(TOKENS) ?? 'null') as Tokens | null;
  if (tokens && tokens.expiresAt > Date.now()) return tokens.accessToken;
  sessionStorage.removeItem(TOKENS);
  return signIn(auth);
}

export function signOut(auth: Auth): void {
  sessionStorage.removeItem(TOKENS);
  location.assign(`${auth.domain}/logout?${new URLSearchParams({ client_id: auth.userPoolClientId, logout_uri: redirectUri() })}`);
}
