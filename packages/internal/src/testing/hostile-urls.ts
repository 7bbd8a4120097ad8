/**
 * Connection URLs a user may type, paste or misconfigure, each carrying the
 * password `PASSWORD` somewhere. Tests feed them through every entry point
 * that takes a URL and assert the password never appears in any output.
 */
export const HOSTILE_PASSWORD = 's3cret-PW';

/** Redis-flavoured URLs: malformed, odd and well-formed. */
export const hostileRedisUrls: readonly string[] = [
  'redis:/:s3cret-PW@127.0.0.1:6379',
  'rediss:/u:s3cret-PW@127.0.0.1:6380',
  'redis::s3cret-PW@127.0.0.1:6379',
  'redis:u:s3cret-PW@127.0.0.1:6379',
  ':s3cret-PW@127.0.0.1:6379',
  'default:s3cret-PW@127.0.0.1:6379',
  'u:s3cret-PW@127.0.0.1',
  'redis//:s3cret-PW@127.0.0.1:6379',
  'http://u:s3cret-PW@127.0.0.1:6379',
  'redis://:s3cret-PW@',
  'redis://:s3cret-PW@[::1',
  'redis://:s3cret-PW@127.0.0.1:6379 redis://:s3cret-PW@127.0.0.2:6379',
  'redis://:s3cret-PW@127.0.0.1:6379,redis://:s3cret-PW@127.0.0.2:6379',
  ' redis://:s3cret-PW@127.0.0.1:6379',
  'redis://:s3cret-PW@127.0.0.1:notaport',
  'redis://:s3cret-PW@127.0.0.1:1',
  'redis://u:s3cret-PW@[::1]:1',
  'redis://:s3cret-PW@no-such-host.invalid:6379',
  'redis://:s3cret%2DPW@127.0.0.1:1',
  'redis://:s3cret-PW@@127.0.0.1:1',
  'redis://:s3cret-PW:x@127.0.0.1:1',
  'redis://u:s3:cret-PW@127.0.0.1:1',
  'redis://u:x@s3cret-PW@127.0.0.1:1',
  'rediss://default:s3cret-PW@127.0.0.1:1/0',
];

/** PostgreSQL-flavoured URLs: malformed, odd and well-formed. */
export const hostilePgUrls: readonly string[] = [
  'postgres:/postgres:s3cret-PW@127.0.0.1:7599/test',
  'postgres:postgres:s3cret-PW@127.0.0.1:7599/test',
  'postgresql:/u:s3cret-PW@127.0.0.1/test',
  'postgres//u:s3cret-PW@127.0.0.1/test',
  'u:s3cret-PW@127.0.0.1:5432/test',
  ':s3cret-PW@127.0.0.1/test',
  'mysql://u:s3cret-PW@127.0.0.1/test',
  'postgres://u:s3cret-PW@',
  'postgres://u:s3cret-PW@127.0.0.1:1/test',
  'postgresql://u:s3cret-PW@[::1]:1/test',
  'postgres://u:s3cret%40PW@127.0.0.1:1/test',
  'postgres://u:s3cret-PW@@127.0.0.1:1/test',
  'postgres://u:s3:cret-PW@127.0.0.1:1/test',
  'postgres://u:s3cret-PW@no-such-host.invalid/test',
  'postgres://u:s3cret-PW@127.0.0.1:1/test postgres://u:s3cret-PW@127.0.0.2:1/test',
  'postgres://nobody:s3cret-PW@127.0.0.1:5432/test',
];
