import { describe, expect, it } from 'vitest';
import { parseServerUrl } from '../src/server-url.js';

const rules = { schemes: ['redis', 'rediss'], where: 'RedisLocking option url', example: 'redis://127.0.0.1:6379' };

describe('parseServerUrl', () => {
  it.each(['redis://127.0.0.1:6379', 'rediss://u:p%40ss@cache:6380/2', 'redis://:pw@[::1]:6379', 'REDIS://host'])('accepts %s', (url) => {
    expect(parseServerUrl(url, rules)).toBeInstanceOf(URL);
  });

  it.each([
    ['redis:/:s3cret-PW@127.0.0.1:6379', '"redis:" is not followed by "//"'],
    ['rediss:/u:s3cret-PW@cache', '"rediss:" is not followed by "//"'],
    ['redis:u:s3cret-PW@cache', '"redis:" is not followed by "//"'],
    [':s3cret-PW@host:6379', 'it has no scheme'],
    ['default:s3cret-PW@host:6379', 'its scheme is "default:"'],
    ['http://u:s3cret-PW@host', 'its scheme is "http:"'],
    ['redis:///0', 'it has no host'],
    ['redis://u:s3cret-PW@', 'it is not a valid URL'],
    ['redis://:s3cret-PW@h1:1 redis://:s3cret-PW@h2:2', 'it contains whitespace'],
    ['redis://u:s3cret-PW@ho st', 'it contains whitespace'],
    ['redis://:s3cret-PW@[::1', 'it is not a valid URL'],
  ])('refuses %s without showing it', (url, problem) => {
    const attempt = () => parseServerUrl(url, rules);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(/^RedisLocking option url must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/127\.0\.0\.1:6379, but /);
    expect(attempt).not.toThrow(/s3cret/);
  });

  it('names the type of a value that is not a string', () => {
    expect(() => parseServerUrl(['redis://a', 'redis://b'], rules)).toThrow('but got an array of length 2');
    expect(() => parseServerUrl(undefined, rules)).toThrow('but got undefined');
  });
});
