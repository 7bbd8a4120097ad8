import type { HostConfig } from './host-config.js';

/**
 * The passwords in the host's connection URLs, as written and decoded, so
 * they can be scrubbed from any text even where no `user:password@` shape
 * gives them away (a driver quoting only the password, say).
 */
export function secretsOf(config: HostConfig): string[] {
  const urls = [config.locking.redisUrl, config.locking.databaseUrl].flat();
  return urls.flatMap((url) => {
    if (url === undefined || !URL.canParse(url)) return [];
    const { password } = new URL(url);
    if (password === '') return [];
    try {
      return [password, decodeURIComponent(password)];
    } catch {
      return [password];
    }
  });
}
