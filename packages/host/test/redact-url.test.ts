import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['redis://:hunter2@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    ['postgres://app:p%40ss@db:5432/test', 'postgres://app:***@db:5432/test'],
    ['postgres://app@db/test', 'postgres://app@db/test'],
    ['not a url://user:secret@host', 'not a url://user:***@host'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
