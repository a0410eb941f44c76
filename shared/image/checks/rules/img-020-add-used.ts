import { imageCheck } from '../check.ts';
import { describeStep, historySteps, stepField } from '../history.ts';

export default imageCheck({
  id: 'IMG-020',
  severity: 'low',
  title: 'ADD used instead of COPY',
  description:
    'The history records an ADD (classic `#(nop) ADD file:… in …` or BuildKit `ADD … # buildkit`) other than the first one, which created the base root filesystem. ADD also fetches URLs and unpacks archives, so what ends up in the image is less obvious than with COPY.',
  remediation: 'Use COPY for local files; download with a verified RUN step or `ADD --checksum` when fetching is intended.',
  compliance: ['CIS-DOCKER 4.9', 'NIST-800-190 4.1.2'],
  *check(image) {
    const steps = historySteps(image.config);
    const base = steps.find((s) => !s.emptyLayer);
    for (const step of steps) {
      if (step.instruction !== 'ADD' || step === base) continue;
      yield { message: `${describeStep(step)}: ADD used where COPY would do`, historyIndex: step.index, layerDigest: step.layerIndex === null ? null : (image.layers[step.layerIndex]?.digest ?? null), field: stepField(step) };
    }
  },
});
