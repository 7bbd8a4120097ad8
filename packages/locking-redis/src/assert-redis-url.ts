import { InvalidArgumentError } from '@belfry/plugin-api';
import { redactSecrets } from '@belfry/internal';

/** Accepts `redis://` and `rediss://` URLs; the message never shows the password. */
export function assertRedisUrl(url: unknown, where: string): asserts url is string {
  let protocol: string | undefined;
  if (typeof url === 'string') {
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    const shown = typeof url === 'string' ? JSON.stringify(redactSecrets(url)) : typeof url;
    throw new InvalidArgumentError(`RedisLocking option ${where} must be a redis:// or rediss:// URL (got ${shown})`);
  }
}
