import * as z from 'zod';
import { imageCheck } from '../check.ts';
import { finalEntries } from '../filesystem.ts';
import { osPackagesNamed } from '../packages.ts';

const TOOLS: { what: string; paths: string[]; packages: string[] }[] = [
  { what: 'shell /bin/sh', paths: ['bin/sh', 'usr/bin/sh'], packages: [] },
  { what: 'apt', paths: ['usr/bin/apt', 'usr/bin/apt-get'], packages: ['apt'] },
  { what: 'apk', paths: ['sbin/apk', 'usr/sbin/apk', 'usr/bin/apk'], packages: ['apk-tools'] },
  { what: 'dnf', paths: ['usr/bin/dnf', 'usr/bin/microdnf', 'usr/bin/yum'], packages: ['dnf', 'microdnf', 'yum'] },
  { what: 'pip', paths: ['usr/bin/pip', 'usr/bin/pip3', 'usr/local/bin/pip', 'usr/local/bin/pip3'], packages: ['python3-pip', 'py3-pip', 'python-pip'] },
];

export default imageCheck({
  id: 'IMG-063',
  severity: 'info',
  title: 'Package manager or shell in a production image',
  description:
    'An image labelled as production (labels listed in `productionLabels`, default `environment=production`, `env=production`, `env=prod`, `stage=production`, `shipwatch.io/production=true`) ships `/bin/sh`, `apt`, `apk`, `dnf` or `pip`: tools an intruder uses to move on. Off by default; enable it with `enable: [IMG-063]`.',
  remediation: 'Build the runtime stage from a distroless or minimal image and copy in only the application.',
  compliance: ['CIS-DOCKER 4.3', 'NIST-800-190 4.1.2'],
  offByDefault: true,
  optionsSchema: z.strictObject({
    productionLabels: z.array(z.string().regex(/^[^=]+=.*$/, 'expected key=value')).default(['environment=production', 'env=production', 'env=prod', 'stage=production', 'shipwatch.io/production=true']),
  }),
  *check(image, options) {
    const labels = image.config.config?.Labels ?? {};
    const production = options.productionLabels.find((kv) => {
      const eq = kv.indexOf('=');
      return labels[kv.slice(0, eq)] === kv.slice(eq + 1);
    });
    if (!production) return;
    const final = finalEntries(image);
    for (const tool of TOOLS) {
      const path = tool.paths.find((p) => final.has(p));
      const pkg = osPackagesNamed(image.packages, (name) => tool.packages.includes(name))[0];
      if (!path && !pkg) continue;
      yield { message: `production image (label ${production}) ships ${tool.what}${path ? ` (/${path})` : ` (package ${pkg!.name})`}`, path: path ?? pkg?.path ?? null, field: `tool:${tool.what}` };
    }
  },
});
