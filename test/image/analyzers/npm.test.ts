import { describe, expect, it } from 'vitest';
import { lockfilePackages } from '../../../shared/image/analyzers/npm.ts';
import { analyze, packageLines } from './analyze.ts';

const LOCK_V3 = JSON.stringify({
  name: 'web',
  version: '1.0.0',
  lockfileVersion: 3,
  packages: {
    '': { name: 'web', version: '1.0.0', dependencies: { express: '^4.18.0' } },
    'node_modules/express': { version: '4.18.2', resolved: 'https://registry.npmjs.org/express/-/express-4.18.2.tgz' },
    'node_modules/express/node_modules/debug': { version: '2.6.9' },
    'node_modules/@types/node': { version: '20.11.5', dev: true },
    'node_modules/@babel/core': { version: '7.23.9' },
    'node_modules/local-lib': { resolved: 'packages/local-lib', link: true },
    'packages/local-lib': { version: '0.0.1' },
    'node_modules/from-git': { version: 'git+ssh://git@github.com/x/y.git#abc' },
  },
});

const LOCK_V1 = JSON.stringify({
  name: 'old',
  lockfileVersion: 1,
  dependencies: {
    lodash: { version: '4.17.20' },
    mocha: { version: '10.0.0', dev: true },
    request: { version: '2.88.2', dependencies: { qs: { version: '6.5.3' } } },
  },
});

describe('npm analyzer', () => {
  it('reads lockfile v2/v3 packages (no dev, links or non-registry versions)', () => {
    expect(lockfilePackages(LOCK_V3)).toEqual([
      { name: 'express', version: '4.18.2' },
      { name: 'debug', version: '2.6.9' },
      { name: '@babel/core', version: '7.23.9' },
    ]);
  });

  it('reads lockfile v1 dependency trees', () => {
    expect(lockfilePackages(LOCK_V1)).toEqual([
      { name: 'lodash', version: '4.17.20' },
      { name: 'request', version: '2.88.2' },
      { name: 'qs', version: '6.5.3' },
    ]);
  });

  it('reports installed node_modules packages once, at the lockfile when it lists them', async () => {
    const image = await analyze({
      'app/package-lock.json': LOCK_V3,
      'app/node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.18.2' }),
      'app/node_modules/@types/node/package.json': JSON.stringify({ name: '@types/node', version: '20.11.5' }),
      'app/node_modules/express/node_modules/debug/package.json': JSON.stringify({ name: 'debug', version: '2.6.9' }),
      'usr/lib/node_modules/npm/package.json': JSON.stringify({ name: 'npm', version: '10.2.4' }),
      'usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json': JSON.stringify({ name: '@npmcli/arborist', version: '7.2.1' }),
      'usr/lib/node_modules/npm/node_modules/broken/package.json': '{ not json',
      'app/package.json': JSON.stringify({ name: 'web', version: '1.0.0' }),
    });
    expect(image.analysis.packages.map((p) => `${p.name}@${p.version} ${p.path}`).sort()).toEqual([
      '@babel/core@7.23.9 app/package-lock.json',
      '@npmcli/arborist@7.2.1 usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json',
      '@types/node@20.11.5 app/node_modules/@types/node/package.json',
      'debug@2.6.9 app/package-lock.json',
      'express@4.18.2 app/package-lock.json',
      'npm@10.2.4 usr/lib/node_modules/npm/package.json',
    ]);
    expect(packageLines(image).every((l) => l.startsWith('npm '))).toBe(true);
  });

  it('skips a lockfile that is not JSON', async () => {
    const image = await analyze({ 'package-lock.json': '<<<<<<< merge conflict' });
    expect(image.analysis.packages).toEqual([]);
    expect(image.warnings).toEqual([]);
  });
});
