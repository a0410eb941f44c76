import { SECRET_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// Only kubeconfig files; `kind: ConfigMap` does not count.
const KUBECONFIG = /^[ \t]*kind[ \t]*:[ \t]*["']?Config["']?[ \t]*\r?$/m;
// Blanks are [ \t]: the value is on the key's line (an empty `token:` must not take the next line's key),
// and `^\s*` would rescan long runs of blank lines.
const USER_CREDENTIAL = /^[ \t]*(client-key-data|token)[ \t]*:[ \t]*["']?([A-Za-z0-9._\-+/=]{20,})/dgm;
// A service-account token baked into an image (/run is /var/run on most distributions).
const SERVICE_ACCOUNT_TOKEN_PATH = /(?:^|\/)(?:var\/)?run\/secrets\/kubernetes\.io\/serviceaccount\/token$/;
const TOKEN_FILE_CONTENT = /[A-Za-z0-9._\-+/=]{20,}/;

export default secretPattern({
  id: 'SECRET-14',
  severity: 'critical',
  title: 'Kubernetes credentials',
  description: 'A kubeconfig (kind: Config) holds a user\'s client-key-data or token, or a service-account token file (var/run/secrets/kubernetes.io/serviceaccount/token) is baked in.',
  remediation: 'Revoke the credential (delete the service-account token Secret, rotate the client certificate or the cluster CA), remove the file, and use short-lived tokens from an exec credential plugin or projected volumes.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text, path) {
    if (SERVICE_ACCOUNT_TOKEN_PATH.test(path.replace(/\\/g, '/'))) {
      const token = TOKEN_FILE_CONTENT.exec(text);
      if (token) yield { index: token.index, secret: token[0], message: 'Kubernetes service-account token file' };
    }
    if (!text.includes('Config') || !KUBECONFIG.test(text)) return;
    for (const match of text.matchAll(USER_CREDENTIAL)) {
      yield { ...captured(match, 2), message: `Kubernetes credentials in a kubeconfig (${match[1]})` };
    }
  },
});
