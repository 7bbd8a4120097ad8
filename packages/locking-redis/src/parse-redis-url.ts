import { InvalidArgumentError } from '@belfry/plugin-api';
import { parseServerUrl, urlSecrets } from '@belfry/internal';

/** A validated Redis URL: what to connect to, how to name it, and what never to print. */
export interface RedisUrl {
  url: string;
  /** `host:port`, lower-case, without credentials or database. */
  server: string;
  /** The password as written and decoded, to scrub from every message. */
  secrets: string[];
}

/**
 * Accepts only a well-formed `redis://` or `rediss://` URL with a host and,
 * if any, a database number as its path. Anything else is refused before
 * ioredis sees it: ioredis reads `redis:/:pw@host` as a socket path and
 * would print the password in its connection errors.
 */
export function parseRedisUrl(url: unknown, where: string): RedisUrl {
  const parsed = parseServerUrl(url, { schemes: ['redis', 'rediss'], where: `RedisLocking option ${where}`, example: 'redis://127.0.0.1:6379' });
  if (!/^(\/\d*)?$/.test(parsed.pathname)) {
    throw new InvalidArgumentError(
      `RedisLocking option ${where} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0, but its path is not a database number`,
    );
  }
  return {
    url: parsed.href,
    server: `${parsed.hostname.toLowerCase()}:${parsed.port === '' ? '6379' : parsed.port}`,
    secrets: urlSecrets(parsed),
  };
}
