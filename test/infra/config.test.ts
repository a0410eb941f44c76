import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, readConfig } from '../../infra/config.ts';

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('infra context values', () => {
  it('falls back to the documented defaults', () => {
    expect(configOf({})).toEqual({
      notifyMinSeverity: 'high',
      notifyDigestAbove: 10,
      githubApiUrl: 'https://api.github.com',
      gitlabUrl: 'https://gitlab.com',
      alarmEmail: undefined,
    });
    expect(configOf({})).toEqual(DEFAULT_CONFIG);
  });

  it('takes strings from -c key=value and numbers from cdk.json', () => {
    const config = configOf({
      notifyMinSeverity: 'Critical',
      notifyDigestAbove: '25',
      githubApiUrl: 'https://ghe.example.com/api/v3/',
      gitlabUrl: 'http://gitlab.internal:8080',
      alarmEmail: 'oncall@example.com',
    });
    expect(config).toEqual({
      notifyMinSeverity: 'critical',
      notifyDigestAbove: 25,
      githubApiUrl: 'https://ghe.example.com/api/v3',
      gitlabUrl: 'http://gitlab.internal:8080',
      alarmEmail: 'oncall@example.com',
    });
    expect(configOf({ notifyDigestAbove: 0 }).notifyDigestAbove).toBe(0);
  });

  it('treats an empty value as unset', () => {
    expect(configOf({ alarmEmail: '', gitlabUrl: '' })).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [{ notifyMinSeverity: 'urgent' }, /notifyMinSeverity.*critical, high, medium, low, info/],
    [{ notifyDigestAbove: '-1' }, /notifyDigestAbove/],
    [{ notifyDigestAbove: '2.5' }, /notifyDigestAbove/],
    [{ notifyDigestAbove: 'ten' }, /notifyDigestAbove/],
    [{ githubApiUrl: 'api.github.com' }, /githubApiUrl.*absolute URL/],
    [{ gitlabUrl: 'ftp://gitlab.example.com' }, /gitlabUrl.*http\(s\)/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [{ notifyMinSeverity: ['high'] }, /notifyMinSeverity.*string or a number/],
  ])('rejects %j with a message naming the key', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });
});
