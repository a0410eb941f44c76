import { imageCheck } from '../check.ts';
import { finalEntries, textOf } from '../filesystem.ts';

const DEV_DIRECTORIES = new Set(['.git', '.svn', '.idea', '.vscode', '.cache', '.npm']);
const DEV_FILES = new Set(['Dockerfile', 'docker-compose.yml', 'docker-compose.yaml', '.DS_Store']);
const VENDORED = new Set(['node_modules', 'vendor']);

/** `url = https://user:token@host/…`, or an extra header carrying credentials. */
const GIT_CONFIG_CREDENTIALS = /^\s*(?:url\s*=\s*\S*:\/\/[^\s/@:]+:[^\s/@]+@|extraheader\s*=\s*(?:AUTHORIZATION|Authorization):)/m;

/** The top-most dev/VCS item a path belongs to (`app/.git` for `app/.git/objects/ab/cd`), skipping vendored trees. */
function devItem(path: string, isDirectory: boolean): string | null {
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    if (VENDORED.has(parts[i])) return null;
    const last = i === parts.length - 1;
    if (DEV_DIRECTORIES.has(parts[i]) && (!last || isDirectory)) return parts.slice(0, i + 1).join('/');
    if (last && !isDirectory && DEV_FILES.has(parts[i])) return path;
  }
  return null;
}

export default imageCheck({
  id: 'IMG-046',
  severity: 'low',
  title: 'Development or VCS files in the image',
  description:
    'The final filesystem holds `.git/`, `.svn/`, `.idea/`, `.vscode/`, `.cache/`, `.npm/`, a `Dockerfile`, `docker-compose.yml` or `.DS_Store` (outside `node_modules/` and `vendor/`): build leftovers that leak history and internals. High when a `.git/config` holds credentials.',
  remediation: 'Add these paths to .dockerignore, or copy only what the application needs (multi-stage build).',
  compliance: ['NIST-800-190 4.1.2'],
  wants: (path) => path === '.git/config' || path.endsWith('/.git/config'),
  *check(image) {
    const items = new Set<string>();
    for (const [path, entry] of finalEntries(image)) {
      const item = devItem(path, entry.type === 'directory');
      if (item) items.add(item);
    }
    for (const item of [...items].sort()) {
      const gitConfig = item.endsWith('.git') ? image.files.get(`${item}/config`) : undefined;
      const credentials = gitConfig !== undefined && GIT_CONFIG_CREDENTIALS.test(textOf(gitConfig));
      yield {
        message: `/${item} is in the image${credentials ? ', and its config holds credentials' : ''}`,
        severity: credentials ? 'high' : undefined,
        path: credentials ? `${item}/config` : item,
        field: `path:${item}`,
      };
    }
  },
});
