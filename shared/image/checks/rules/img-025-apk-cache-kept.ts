import { hasOption, packageCommands } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { finalFilesUnder } from '../filesystem.ts';
import { commandsOf, describeStep, removesPath, runSteps, stepField } from '../history.ts';

const APK_CACHE = 'var/cache/apk';
const CACHED_FILE = /^var\/cache\/apk\/(?:[^/]+\.apk|APKINDEX[^/]*)$/;

export default imageCheck({
  id: 'IMG-025',
  severity: 'low',
  title: 'apk cache kept',
  description: 'A RUN runs `apk add` without `--no-cache` (and without removing /var/cache/apk in the same RUN), or /var/cache/apk holds `*.apk` or `APKINDEX*` files in the final filesystem.',
  remediation: 'Install with `apk add --no-cache …`.',
  compliance: ['NIST-800-190 4.1.2'],
  *check(image) {
    let reported = false;
    for (const step of runSteps(image.config)) {
      const commands = commandsOf(step);
      const adds = packageCommands(commands).filter((p) => p.manager === 'apk' && p.subcommand === 'add' && !hasOption(p, '--no-cache'));
      if (adds.length === 0 || removesPath(commands, APK_CACHE)) continue;
      reported = true;
      yield { message: `${describeStep(step)}: apk add without --no-cache`, historyIndex: step.index, field: stepField(step) };
    }
    if (reported) return;
    const cached = finalFilesUnder(image, APK_CACHE).filter((path) => CACHED_FILE.test(path));
    if (cached.length > 0) yield { message: `/${APK_CACHE}/ holds ${cached.length} cached package or index file(s) in the final filesystem`, path: APK_CACHE, field: `path:${APK_CACHE}` };
  },
});
