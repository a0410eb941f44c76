import { imageCheck } from '../check.ts';
import { historySteps } from '../history.ts';

export default imageCheck({
  id: 'IMG-031',
  severity: 'info',
  title: 'Deprecated MAINTAINER',
  description: 'The image config has an `author` or the history records a MAINTAINER instruction, which Docker deprecated.',
  remediation: 'Use `LABEL org.opencontainers.image.authors="…"` instead of MAINTAINER.',
  compliance: [],
  *check(image) {
    const step = historySteps(image.config).find((s) => s.instruction === 'MAINTAINER');
    const author = image.config.author?.trim();
    if (!step && !author) return;
    yield { message: `the image uses the deprecated MAINTAINER${author ? ` (author "${author}")` : ''}`, historyIndex: step?.index ?? null, field: 'maintainer' };
  },
});
