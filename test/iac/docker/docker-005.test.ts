import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-005', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-005 ADD used where COPY suffices', () => {
  it.each(['ADD app.py /app/', 'ADD --chown=app:app src/ /app/src/', 'add config.json /etc/app/', 'ADD ["a b.txt", "/x/"]', 'ADD site.zip /srv/'])('fires for %s, on its line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(2);
  });

  it('fires for an ADD here-document', () => {
    expect(check('ADD <<EOF /etc/motd\nhello\nEOF\n')).toHaveLength(1);
  });

  it.each(['ADD rootfs.tar.gz /', 'ADD release.tgz /opt/', 'ADD data.tar.xz /srv/', 'ADD image.tar /'])('passes for tar archives to extract: %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });

  it.each(['ADD https://example.com/tool /usr/local/bin/tool', 'ADD git@github.com:org/repo.git /src', 'ADD https://github.com/org/repo.git#v1.0 /src'])(
    'leaves remote sources to DOCKER-009: %s',
    (line) => {
      expect(check(`${line}\n`)).toEqual([]);
    },
  );

  it('passes COPY and unresolvable sources', () => {
    expect(check('COPY app.py /app/\nADD $ARTIFACT /opt/\n')).toEqual([]);
  });
});
