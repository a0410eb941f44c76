import { describe, expect, it } from 'vitest';
import { metadataPackage, poetryPackages, requirementPins } from '../../../shared/image/analyzers/python.ts';
import { analyze } from './analyze.ts';

describe('python analyzer', () => {
  it('reads installed distributions and normalises names (PEP 503)', async () => {
    const image = await analyze({
      'usr/local/lib/python3.12/site-packages/PyYAML-6.0.1.dist-info/METADATA': 'Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nSummary: YAML parser\n\nName: not-this\n',
      'usr/local/lib/python3.12/site-packages/zope.interface-6.1.dist-info/METADATA': 'Metadata-Version: 2.1\nName: zope.interface\nVersion: 6.1\n',
      'usr/lib/python3/dist-packages/Jinja2.egg-info/PKG-INFO': 'Metadata-Version: 1.1\nName: Jinja2\nVersion: 3.1.2\n',
      'usr/local/lib/python3.12/site-packages/requests/requirements.txt': 'urllib3==1.0\n',
    });
    expect(image.analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`)).toEqual(['PyPI pyyaml 6.0.1', 'PyPI zope-interface 6.1', 'PyPI jinja2 3.1.2']);
  });

  it('reads exact pins of requirements.txt', () => {
    expect(
      requirementPins(
        [
          '# app requirements',
          'Django==4.2.7',
          'requests[security] == 2.31.0 ; python_version >= "3.8"',
          'flask>=2.0',
          'numpy==1.26.*',
          'six===1.16.0',
          'cryptography==41.0.5 \\',
          '    --hash=sha256:abc',
          '-r other.txt',
          '-e git+https://github.com/x/y.git#egg=y',
          'attrs==23.1.0  # pinned',
          'pytz==2023.3,<2024',
        ].join('\n'),
      ),
    ).toEqual([
      { name: 'django', version: '4.2.7' },
      { name: 'requests', version: '2.31.0' },
      { name: 'six', version: '1.16.0' },
      { name: 'cryptography', version: '41.0.5' },
      { name: 'attrs', version: '23.1.0' },
    ]);
  });

  it('reads poetry.lock packages, not their sub-tables', () => {
    const lock = [
      '[[package]]',
      'name = "Click"',
      'version = "8.1.7"',
      'description = "x"',
      '',
      '[package.dependencies]',
      'colorama = {version = "*", markers = "platform_system == \\"Windows\\""}',
      '',
      '[package.source]',
      'name = "internal"',
      '',
      '[[package]]',
      'name = "colorama"',
      'version = "0.4.6"',
      '',
      '[metadata]',
      'lock-version = "2.0"',
    ].join('\n');
    expect(poetryPackages(lock)).toEqual([
      { name: 'click', version: '8.1.7' },
      { name: 'colorama', version: '0.4.6' },
    ]);
  });

  it('finds the project files anywhere outside installed packages', async () => {
    const image = await analyze({ 'app/requirements.txt': 'gunicorn==21.2.0\n', 'srv/api/poetry.lock': '[[package]]\nname = "fastapi"\nversion = "0.109.0"\n' });
    expect(image.analysis.packages.map((p) => `${p.name} ${p.version} ${p.path}`)).toEqual(['gunicorn 21.2.0 app/requirements.txt', 'fastapi 0.109.0 srv/api/poetry.lock']);
    expect(metadataPackage('Name: x\n')).toBeNull();
  });
});
