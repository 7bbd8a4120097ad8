import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/redact-secrets.js';
import { HOSTILE_PASSWORD, hostilePgUrls, hostileRedisUrls } from '../src/testing/index.js';

describe('redactSecrets on every hostile URL', () => {
  it.each([...hostileRedisUrls, ...hostilePgUrls])('hides the password of %s, bare and quoted', (url) => {
    for (const text of [url, JSON.stringify(url), `(got ${url})`, `url=${url}.`, JSON.stringify([url, url])]) {
      expect(redactSecrets(text)).not.toContain('s3cret');
    }
    expect(url).toMatch(new RegExp(HOSTILE_PASSWORD.slice(0, 2)));
  });
});
