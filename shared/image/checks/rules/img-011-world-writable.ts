import { imageCheck } from '../check.ts';
import { finalEntries } from '../filesystem.ts';

const OTHERS_WRITE = 0o002;
const STICKY = 0o1000;
const SCRATCH_DIRECTORIES = ['tmp', 'var/tmp', 'dev/shm'];

const inScratch = (path: string) => SCRATCH_DIRECTORIES.some((d) => path === d || path.startsWith(`${d}/`));

export default imageCheck({
  id: 'IMG-011',
  severity: 'low',
  title: 'World-writable path',
  description: 'A file is writable by others (o+w), or a directory is writable by others without the sticky bit, outside /tmp, /var/tmp and /dev/shm: any user in the container can change what others run or read.',
  remediation: 'Remove the write bit for others (`chmod o-w`), or set the sticky bit on shared directories (`chmod +t`).',
  compliance: ['NIST-800-190 4.1.2'],
  *check(image) {
    // A world-writable directory stands for what is inside it (`chmod -R 777 /app` is one finding).
    const reported: string[] = [];
    const paths = [...finalEntries(image)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [path, entry] of paths) {
      if (inScratch(path) || (entry.mode & OTHERS_WRITE) === 0) continue;
      const problem = entry.type === 'file' || entry.type === 'hardlink' ? 'file is world-writable' : entry.type === 'directory' && (entry.mode & STICKY) === 0 ? 'directory is world-writable without the sticky bit' : null;
      if (!problem || reported.some((d) => path.startsWith(`${d}/`))) continue;
      if (entry.type === 'directory') reported.push(path);
      yield { message: `/${path}: ${problem} (mode ${(entry.mode & 0o7777).toString(8).padStart(4, '0')})`, path, layerDigest: image.layers[entry.layerIndex]?.digest ?? null, field: `path:${path}` };
    }
  },
});
