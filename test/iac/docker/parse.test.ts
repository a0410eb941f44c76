import { describe, expect, it } from 'vitest';
import { parseDockerfile, type Dockerfile } from '../../../shared/iac/docker/parse.ts';
import { copyOperands, finalStage, instructionField, lineage, parsePorts, runCommands } from '../../../shared/iac/docker/instructions.ts';
import { classify } from '../../../shared/scan/sources.ts';

const keywordsAndLines = (d: Dockerfile) => d.instructions.map((i) => `${i.line}:${i.keyword}`);
const messages = (d: Dockerfile) => d.errors.map((e) => `${e.line}: ${e.message}`);

describe('parseDockerfile: lines, comments, continuations', () => {
  it('reads instructions case-insensitively with their 1-based start line, skipping comments and blank lines', () => {
    const d = parseDockerfile(`# a comment

from alpine:3.20
  # indented comment
Run echo hi
copy a /b
`);
    expect(keywordsAndLines(d)).toEqual(['3:FROM', '5:RUN', '6:COPY']);
    expect(d.errors).toEqual([]);
  });

  it('joins continuation lines as Docker does, skipping comment and blank lines inside them', () => {
    const d = parseDockerfile(`FROM alpine:3.20
RUN apk add \\
    # pinned below
    curl \\

    git
USER app
`);
    const run = d.instructions[1];
    expect(run.line).toBe(2);
    expect(run.endLine).toBe(6);
    expect(run.args).toBe('apk add     curl     git');
    expect(d.instructions[2]).toMatchObject({ keyword: 'USER', line: 7 });
  });

  it('accepts whitespace after the continuation character and CRLF line ends', () => {
    const d = parseDockerfile('FROM alpine:3.20\r\nRUN echo a \\  \r\n  && echo b\r\nUSER 1000\r\n');
    expect(d.instructions[1].args).toBe('echo a   && echo b');
    expect(keywordsAndLines(d)).toEqual(['1:FROM', '2:RUN', '4:USER']);
  });

  it('reports unknown instructions and instructions without arguments', () => {
    const d = parseDockerfile('FROM alpine:3.20\nFOO bar\nRUN\n');
    expect(messages(d)).toEqual(['2: unknown instruction "FOO"', '3: RUN requires arguments']);
  });

  it('reports a file without FROM and instructions before the first FROM', () => {
    expect(messages(parseDockerfile('RUN echo hi\n'))).toEqual(['1: RUN before the first FROM (only ARG may come first)', 'null: the Dockerfile has no FROM instruction']);
  });
});

describe('parseDockerfile: parser directives', () => {
  it('reads syntax and escape directives at the top', () => {
    const d = parseDockerfile('# syntax=docker/dockerfile:1.7\n# escape=`\nFROM alpine:3.20\n');
    expect(d.directives).toEqual({ syntax: 'docker/dockerfile:1.7', escape: '`' });
    expect(d.escape).toBe('`');
  });

  it('ignores directives after a comment, a blank line or an instruction', () => {
    expect(parseDockerfile('# hello\n# escape=`\nFROM alpine:3.20\n').escape).toBe('\\');
    expect(parseDockerfile('\n# escape=`\nFROM alpine:3.20\n').escape).toBe('\\');
    expect(parseDockerfile('FROM alpine:3.20\n# escape=`\n').directives).toEqual({});
  });

  it('reports an invalid escape character and a repeated directive', () => {
    expect(messages(parseDockerfile('# escape=x\nFROM alpine:3.20\n'))).toEqual(['1: invalid escape directive "x": the escape character must be \\ or `']);
    expect(messages(parseDockerfile('# syntax=a\n# syntax=b\nFROM alpine:3.20\n'))).toEqual(['2: only one "syntax" parser directive may be used']);
  });

  it('uses the backtick for continuations and escapes, keeping backslashes literal (Windows paths)', () => {
    const d = parseDockerfile(`# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\\app
RUN powershell -Command \`
    Write-Host hi
COPY C:\\src\\ C:\\dest\\
`);
    expect(d.instructions[1].words[0].value).toBe('C:\\app');
    expect(d.instructions[2]).toMatchObject({ line: 4, endLine: 5, args: 'powershell -Command     Write-Host hi' });
    expect(copyOperands(d.instructions[3]).sources.map((s) => s.value)).toEqual(['C:\\src\\']);
  });
});

describe('parseDockerfile: here-documents', () => {
  it('reads a RUN here-document body and continues after its delimiter', () => {
    const d = parseDockerfile(`FROM alpine:3.20
RUN <<EOF
apk add curl
echo done
EOF
USER app
`);
    const run = d.instructions[1];
    expect(run).toMatchObject({ line: 2, endLine: 5, args: '<<EOF' });
    expect(run.heredocs).toEqual([{ delimiter: 'EOF', body: 'apk add curl\necho done', line: 3, quoted: false }]);
    expect(d.instructions[2]).toMatchObject({ keyword: 'USER', line: 6 });
  });

  it('strips leading tabs with <<-, accepts quoted delimiters and several here-documents on one line', () => {
    const d = parseDockerfile(`FROM alpine:3.20
RUN <<-"FIRST" cat > /a && <<'SECOND' cat > /b
\tone
\tFIRST
two
SECOND
COPY <<EOF /etc/motd
hello
EOF
`);
    const [, run, copy] = d.instructions;
    expect(run.heredocs.map((h) => [h.delimiter, h.body, h.line, h.quoted])).toEqual([
      ['FIRST', 'one', 3, true],
      ['SECOND', 'two', 5, true],
    ]);
    expect(copy).toMatchObject({ keyword: 'COPY', line: 7, endLine: 9 });
    expect(copy.heredocs[0].body).toBe('hello');
    expect(copyOperands(copy)).toMatchObject({ sources: [], destination: { value: '/etc/motd' } });
  });

  it('does not treat `<< EOF` (with a space), a quoted `<<` or exec form as a here-document', () => {
    const d = parseDockerfile(`FROM alpine:3.20
RUN echo "a <<b"
RUN ["sh", "-c", "cat <<EOF"]
USER app
`);
    expect(d.instructions.every((i) => i.heredocs.length === 0)).toBe(true);
    expect(keywordsAndLines(d)).toEqual(['1:FROM', '2:RUN', '3:RUN', '4:USER']);
  });

  it('reports an unterminated here-document', () => {
    const d = parseDockerfile('FROM alpine:3.20\nRUN <<EOF\necho hi\n');
    expect(messages(d)).toEqual(['2: here-document <<EOF is not terminated']);
    expect(d.instructions[1].heredocs[0].body).toBe('echo hi\n');
  });
});

describe('parseDockerfile: forms and flags', () => {
  it('recognises exec (JSON) form and falls back to shell form for invalid JSON', () => {
    const d = parseDockerfile(`FROM alpine:3.20
CMD ["nginx", "-g", "daemon off;"]
ENTRYPOINT [not json]
`);
    expect(d.instructions[1].json).toEqual(['nginx', '-g', 'daemon off;']);
    expect(d.instructions[1].words.map((w) => w.value)).toEqual(['nginx', '-g', 'daemon off;']);
    expect(d.instructions[2].json).toBeNull();
  });

  it('parses flags before the arguments', () => {
    const d = parseDockerfile(`FROM --platform=$BUILDPLATFORM golang:1.22 AS build
COPY --from=build --chown=app:app --link /out /app
ADD --checksum=sha256:abc https://example.com/a.tar.gz /tmp/
RUN --mount=type=cache,target=/root/.cache --network=none go build
HEALTHCHECK --interval=30s CMD wget -q localhost
`);
    const [from, copy, add, run, health] = d.instructions;
    expect(from.flags).toEqual([{ name: 'platform', value: '$BUILDPLATFORM' }]);
    expect(from.args).toBe('golang:1.22 AS build');
    expect(copy.flags).toEqual([
      { name: 'from', value: 'build' },
      { name: 'chown', value: 'app:app' },
      { name: 'link', value: null },
    ]);
    expect(copy.args).toBe('/out /app');
    expect(add.flags).toEqual([{ name: 'checksum', value: 'sha256:abc' }]);
    expect(run.flags.map((f) => f.name)).toEqual(['mount', 'network']);
    expect(run.args).toBe('go build');
    expect(health).toMatchObject({ flags: [{ name: 'interval', value: '30s' }], args: 'CMD wget -q localhost' });
  });

  it('splits COPY operands with quotes, and exec form', () => {
    const d = parseDockerfile(`FROM alpine:3.20
COPY "my file" other /dest/
COPY ["a b", "/c"]
`);
    expect(copyOperands(d.instructions[1]).sources.map((s) => s.value)).toEqual(['my file', 'other']);
    expect(copyOperands(d.instructions[2])).toMatchObject({ sources: [{ value: 'a b' }], destination: { value: '/c' } });
  });
});

describe('parseDockerfile: stages', () => {
  it('numbers stages, lower-cases names, resolves bases naming earlier stages and scratch', () => {
    const d = parseDockerfile(`FROM golang:1.22 AS Build
RUN go build
FROM scratch AS final-base
FROM BUILD
COPY --from=build /out /out
`);
    expect(d.stages.map((s) => [s.index, s.name, s.baseKind, s.baseStage, s.from.line])).toEqual([
      [0, 'build', 'image', null, 1],
      [1, 'final-base', 'scratch', null, 3],
      [2, null, 'stage', 0, 4],
    ]);
    expect(d.stages[0].instructions.map((i) => i.keyword)).toEqual(['RUN']);
    expect(d.instructions.map((i) => i.stage)).toEqual([0, 0, 1, 2, 2]);
    expect(finalStage(d)?.index).toBe(2);
    expect(lineage(d, finalStage(d)!).map((s) => s.index)).toEqual([2, 0]);
  });

  it('treats a later stage name and an unnamed image as external images', () => {
    const d = parseDockerfile('FROM node AS a\nFROM b\nFROM alpine AS b\n');
    expect(d.stages.map((s) => s.baseKind)).toEqual(['image', 'image', 'image']);
  });

  it('reports duplicate stage names, COPY --from its own stage, and repeated CMD/ENTRYPOINT/HEALTHCHECK', () => {
    const d = parseDockerfile(`FROM alpine:3.20 AS app
COPY --from=app /a /b
CMD ["a"]
ENTRYPOINT ["x"]
CMD ["b"]
HEALTHCHECK NONE
HEALTHCHECK CMD true
FROM alpine:3.20 AS APP
COPY --from=1 /a /b
`);
    expect(messages(d)).toEqual([
      '2: COPY --from=app copies from its own stage',
      '8: duplicate stage name "app"',
      '9: COPY --from=1 copies from its own stage',
      '3: several CMD instructions in stage app: only the last one (line 5) takes effect',
      '6: several HEALTHCHECK instructions in stage app: only the last one (line 7) takes effect',
    ]);
  });

  it('reports EXPOSE ports out of range or malformed', () => {
    const d = parseDockerfile('FROM alpine:3.20\nEXPOSE 80 443/tcp 53/udp 8000-8010 65536 70-60 http 22/icmp\n');
    expect(messages(d)).toEqual([
      '2: EXPOSE 65536: port out of range (0-65535)',
      '2: EXPOSE 70-60: the range ends before it starts',
      '2: EXPOSE http: not a port, a port range or port/protocol',
      '2: EXPOSE 22/icmp: unknown protocol "icmp" (tcp, udp or sctp)',
    ]);
    expect(parsePorts(d.instructions[1]).slice(0, 4).map((p) => [p.from, p.to, p.protocol])).toEqual([
      [80, 80, 'tcp'],
      [443, 443, 'tcp'],
      [53, 53, 'udp'],
      [8000, 8010, 'tcp'],
    ]);
  });
});

describe('parseDockerfile: ARG and ENV', () => {
  it('substitutes global ARGs into FROM: $VAR, ${VAR}, ${VAR:-default}, ${VAR:+x}', () => {
    const d = parseDockerfile(`ARG REGISTRY=registry.example.com
ARG NAME=app
ARG TAG
ARG EMPTY=
ARG SUFFIX=-slim
FROM $REGISTRY/\${NAME}:\${TAG:-1.2}\${SUFFIX:+-slim}
FROM \${EMPTY:-node}:\${EMPTY:+x}20
FROM node:\${TAG}
FROM node:$UNDECLARED
FROM node:\${TAG:+1}
`);
    expect(d.globalArgs).toHaveLength(5);
    expect(d.stages.map((s) => [s.base, s.baseKind])).toEqual([
      ['registry.example.com/app:1.2-slim', 'image'],
      ['node:20', 'image'],
      [null, 'unknown'],
      [null, 'unknown'],
      [null, 'unknown'],
    ]);
  });

  it('lets ARG defaults refer to earlier ARGs, and a stage ARG redeclare a global one without a default', () => {
    const d = parseDockerfile(`ARG VERSION=1.2
ARG IMAGE=app:\${VERSION}
FROM $IMAGE
ARG VERSION
ARG OTHER
RUN echo $VERSION
`);
    expect(d.stages[0].base).toBe('app:1.2');
    const run = d.instructions[d.instructions.length - 1];
    expect(run.scope.get('VERSION')).toBe('1.2');
    expect(run.scope.get('OTHER')).toBeNull();
  });

  it('does not carry global ARGs into a stage unless redeclared', () => {
    const d = parseDockerfile('ARG DIR=/srv\nFROM alpine:3.20\nWORKDIR $DIR\n');
    expect(d.instructions[2].words[0].value).toBeNull();
  });

  it('parses ENV in name=value form (quotes, several pairs) and in the legacy `ENV name value` form', () => {
    const d = parseDockerfile(`FROM alpine:3.20
ENV A=1 B="two words" C='$A'
ENV LEGACY some value with spaces
ENV D=$A-x E=\${B}
`);
    const [, env1, env2, env3] = d.instructions;
    expect(env1.declarations.map((x) => [x.name, x.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '$A'],
    ]);
    expect(env2.declarations).toEqual([{ name: 'LEGACY', value: 'some value with spaces', resolved: 'some value with spaces' }]);
    expect(env3.declarations.map((x) => [x.name, x.value, x.resolved])).toEqual([
      ['D', '$A-x', '1-x'],
      ['E', '${B}', 'two words'],
    ]);
  });

  it('substitutes with the values before the instruction, and ENV wins over an ARG of the same name', () => {
    const d = parseDockerfile(`FROM alpine:3.20
ENV X=old
ENV X=new Y=$X
ARG X=arg
WORKDIR /$X
`);
    expect(d.instructions[2].declarations[1].resolved).toBe('old');
    expect(d.instructions[4].words[0].value).toBe('/new');
  });

  it('inherits ENV from the stage a FROM names, not from unrelated stages', () => {
    const d = parseDockerfile(`FROM alpine:3.20 AS base
ENV APP=/srv/app
FROM base
WORKDIR $APP
FROM alpine:3.20
WORKDIR $APP
`);
    expect(d.instructions[3].words[0].value).toBe('/srv/app');
    expect(d.instructions[5].words[0].value).toBeNull();
  });

  it('keeps ARG without default as null, and reports malformed declarations', () => {
    const d = parseDockerfile('ARG A B=2\nFROM alpine:3.20\nENV X=1 broken\nENV LONELY\n');
    expect(d.instructions[0].declarations).toEqual([
      { name: 'A', value: null, resolved: null },
      { name: 'B', value: '2', resolved: '2' },
    ]);
    expect(messages(d)).toEqual(['3: ENV "broken" is not of the form name=value', '4: ENV LONELY has no value (use ENV name=value)']);
  });

  it('treats an escaped $ as a literal', () => {
    const d = parseDockerfile('FROM alpine:3.20\nENV A=\\$HOME\n');
    expect(d.instructions[1].declarations[0].resolved).toBe('$HOME');
  });
});

describe('RUN commands', () => {
  const commandsOf = (text: string) => runCommands(parseDockerfile(`FROM alpine:3.20\n${text}`).instructions[1]).map((c) => c.argv.join(' '));

  it('splits shell form, continuations included', () => {
    expect(commandsOf('RUN apk update \\\n && apk add curl; echo "a && b" | tee x')).toEqual(['apk update', 'apk add curl', 'echo a && b', 'tee x']);
  });

  it('runs a lone here-document as a script unless its shebang names another interpreter', () => {
    expect(commandsOf('RUN <<EOF\nset -e\napk add curl\nEOF\n')).toEqual(['set -e', 'apk add curl']);
    expect(commandsOf('RUN <<EOF\n#!/usr/bin/env bash\napk add curl\nEOF\n')).toEqual(['apk add curl']);
    expect(commandsOf('RUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n')).toEqual([]);
  });

  it('splits here-documents fed to a shell, not those fed to other programs', () => {
    expect(commandsOf('RUN <<A bash && cat > /etc/conf <<B\napt-get install -y x\nA\nsudo not-a-command\nB\n')).toEqual(['bash', 'apt-get install -y x', 'cat']);
    expect(commandsOf('RUN python3 <<EOF\nimport os\nEOF\n')).toEqual(['python3']);
  });

  it('splits exec form, including sh -c scripts', () => {
    expect(commandsOf('RUN ["/bin/sh", "-c", "apk add curl && rm -rf /tmp/x"]')).toEqual(['sh -c apk add curl && rm -rf /tmp/x', 'apk add curl', 'rm -rf /tmp/x']);
  });
});

describe('finding fields', () => {
  it('are stable across line moves and distinct for repeated identical instructions', () => {
    const a = parseDockerfile('FROM alpine:3.20 AS app\nRUN apk update\nRUN apk update\n');
    const b = parseDockerfile('FROM alpine:3.20 AS app\n\n# moved\nRUN apk update\nRUN apk update\n');
    const fields = (d: Dockerfile) => d.instructions.slice(1).map((i) => instructionField(d, i));
    expect(fields(a)).toEqual(fields(b));
    expect(new Set(fields(a)).size).toBe(2);
  });
});

describe('file classification', () => {
  it.each(['Dockerfile', 'api.Dockerfile', 'Dockerfile.prod', 'Containerfile', 'services/web/Dockerfile', 'dockerfile'])('%s is a Dockerfile', (path) => {
    expect(classify(path)).toBe('dockerfile');
  });

  it.each(['Dockerfile-notes.txt', 'docker-compose.yaml', 'dockerfiles.md'])('%s is not a Dockerfile', (path) => {
    expect(classify(path)).not.toBe('dockerfile');
  });
});
