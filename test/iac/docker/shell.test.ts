import { describe, expect, it } from 'vitest';
import { commandFromWords, parseShell } from '../../../shared/iac/docker/shell.ts';

const argvs = (script: string) => parseShell(script).map((c) => c.argv);

describe('parseShell', () => {
  it('splits on &&, ||, ;, &, pipes and newlines', () => {
    expect(argvs('a 1 && b 2 || c; d & e | f |& g\nh')).toEqual([['a', '1'], ['b', '2'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
  });

  it('gives piped commands one pipeline number', () => {
    const commands = parseShell('curl -s x | tee y | sh && echo ok');
    const [curl, tee, sh, echo] = commands.map((c) => c.pipeline);
    expect(curl).toBe(tee);
    expect(tee).toBe(sh);
    expect(echo).not.toBe(sh);
  });

  it('respects single quotes, double quotes, escapes and line continuations', () => {
    expect(argvs(`echo 'a && b' "c; d" e\\;f g\\\nh`)).toEqual([['echo', 'a && b', 'c; d', 'e;f', 'gh']]);
    expect(argvs(`echo "say \\"hi\\" \\$HOME $HOME"`)).toEqual([['echo', 'say "hi" $HOME $HOME']]);
  });

  it('matches words, not substrings: names inside other words are not commands', () => {
    expect(argvs('echo sudo-rs; mysudo x')).toEqual([['echo', 'sudo-rs'], ['mysudo', 'x']]);
  });

  it('skips comments and shell keywords', () => {
    expect(argvs('# comment && sudo x\nif true; then apt-get update; fi\nfor p in a b; do echo $p; done\n{ echo x; }')).toEqual([
      ['true'],
      ['apt-get', 'update'],
      ['for', 'p', 'in', 'a', 'b'],
      ['echo', '$p'],
      ['echo', 'x'],
    ]);
  });

  it('strips assignments and wrappers, keeping them apart, and uses base names', () => {
    const [c] = parseShell('DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 /usr/bin/apt-get install -y curl');
    expect(c.assignments).toEqual(['DEBIAN_FRONTEND=noninteractive']);
    expect(c.wrappers).toEqual(['sudo', 'env']);
    expect(c.argv).toEqual(['apt-get', 'install', '-y', 'curl']);
    expect(parseShell('command -v curl')[0].argv).toEqual(['command', '-v', 'curl']);
  });

  it('collects redirections apart from the words', () => {
    const [c] = parseShell('echo x >> /etc/shadow 2>&1 </dev/null');
    expect(c.argv).toEqual(['echo', 'x']);
    expect(c.redirects).toEqual([
      { op: '>>', target: '/etc/shadow' },
      { op: '>&', target: '1' },
      { op: '<', target: '/dev/null' },
    ]);
  });

  it('reads here-document bodies without treating them as commands', () => {
    const [cat, after] = parseShell("cat <<'EOF' > /x\nsudo rm -rf /\nEOF\necho after");
    expect(cat.heredocs).toEqual(['sudo rm -rf /']);
    expect(after.argv).toEqual(['echo', 'after']);
  });

  it('splits here-documents and -c scripts handed to a shell', () => {
    expect(argvs('bash -e <<EOF\napt-get update\nEOF')).toEqual([['bash', '-e'], ['apt-get', 'update']]);
    expect(argvs(`sh -o pipefail -c 'curl x | bash'`)).toEqual([['sh', '-o', 'pipefail', '-c', 'curl x | bash'], ['curl', 'x'], ['bash']]);
    expect(argvs('bash script.sh <<EOF\nnot run\nEOF')).toEqual([['bash', 'script.sh']]);
  });

  it('splits command substitutions', () => {
    expect(argvs('echo "$(curl -s x)" `uname -m` $((1+2))')).toEqual([['echo', '$(curl -s x)', '`uname -m`', '$((1+2))'], ['curl', '-s', 'x'], ['uname', '-m']]);
  });

  it('never throws on unbalanced input', () => {
    expect(() => parseShell('echo "unterminated $(x \' <<')).not.toThrow();
  });
});

describe('commandFromWords', () => {
  it('takes exec-form words as one command and splits sh -c scripts', () => {
    expect(commandFromWords(['apt-get', 'install', 'x']).map((c) => c.argv)).toEqual([['apt-get', 'install', 'x']]);
    expect(commandFromWords(['/bin/bash', '-c', 'sudo id; ls']).map((c) => [c.wrappers, c.argv])).toEqual([
      [[], ['bash', '-c', 'sudo id; ls']],
      [['sudo'], ['id']],
      [[], ['ls']],
    ]);
  });
});
