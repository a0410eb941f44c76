import { imageCheck } from '../check.ts';
import { historySteps } from '../history.ts';

export default imageCheck({
  id: 'IMG-032',
  severity: 'info',
  title: 'History missing or squashed',
  description:
    'The image config has no history, or non-empty layers have a blank `created_by` (a squashed or hand-assembled image): the build-hygiene checks (IMG-020…031, IMG-042) have less to go on, so their silence means less.',
  remediation: 'Build with a standard builder (BuildKit, buildah, kaniko) and keep the history; do not squash away the record of how the image was made.',
  compliance: [],
  *check(image) {
    const steps = historySteps(image.config);
    if (steps.length === 0) {
      yield { message: 'the image config has no history: build-hygiene checks could not run', field: 'history' };
      return;
    }
    const blank = steps.filter((s) => !s.emptyLayer && s.createdBy.trim() === '');
    if (blank.length > 0) yield { message: `${blank.length} layer(s) have no created_by in the history (squashed or hand-made)`, field: 'history' };
  },
});
