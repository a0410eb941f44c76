import * as z from 'zod';
import { imageCheck } from '../check.ts';

const DAY_MS = 24 * 3600 * 1000;

export default imageCheck({
  id: 'IMG-062',
  severity: 'low',
  title: 'Stale image',
  description: 'The image config `created` time is older than `maxAgeDays` (default 90): it has missed every fix published since. Configure with `ruleOptions: { IMG-062: { maxAgeDays: N } }`.',
  remediation: 'Rebuild regularly (scheduled pipeline) so base image and package updates reach the image.',
  compliance: ['CIS-DOCKER 4.4', 'NIST-800-190 4.2.2'],
  optionsSchema: z.strictObject({ maxAgeDays: z.number().int().positive().default(90) }),
  *check(image, options) {
    const created = Date.parse(image.config.created ?? '');
    if (Number.isNaN(created)) return;
    const ageDays = Math.floor((image.now.getTime() - created) / DAY_MS);
    if (ageDays > options.maxAgeDays) {
      yield { message: `the image was built ${ageDays} days ago (${image.config.created}), more than ${options.maxAgeDays} days`, field: 'created' };
    }
  },
});
