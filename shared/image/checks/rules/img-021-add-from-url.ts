import { imageCheck } from '../check.ts';
import { describeStep, historySteps, stepField } from '../history.ts';

export default imageCheck({
  id: 'IMG-021',
  severity: 'high',
  title: 'ADD from a remote URL',
  description:
    'An ADD in the history takes an `http://` or `https://` source: the build trusted whatever the server returned. Medium when the ADD pins the content with `--checksum=`.',
  remediation: 'Pin the download with `ADD --checksum=sha256:… <url>`, or download in a RUN step and verify a checksum or signature.',
  compliance: ['CIS-DOCKER 4.9', 'NIST-800-190 4.1.3', 'MITRE T1195.002'],
  *check(image) {
    for (const step of historySteps(image.config)) {
      if (step.instruction !== 'ADD') continue;
      const words = step.text.split(/\s+/);
      const urls = words.filter((w) => /^https?:\/\//i.test(w));
      if (urls.length === 0) continue;
      const pinned = words.some((w) => w.startsWith('--checksum='));
      yield {
        message: `${describeStep(step)}: ADD downloads ${urls.join(', ')}${pinned ? ' (pinned with --checksum)' : ' without an integrity pin'}`,
        severity: pinned ? 'medium' : undefined,
        historyIndex: step.index,
        field: stepField(step),
      };
    }
  },
});
