import { errorText, parseServerUrl } from '@belfry/internal';
import { HostConfigError } from './host-errors.js';

/** Schemes and an example of each kind of server URL the host takes. */
export const serverUrlRules = {
  redis: { schemes: ['redis', 'rediss'], example: 'redis://127.0.0.1:6379' },
  pg: { schemes: ['postgres', 'postgresql'], example: 'postgres://user@127.0.0.1:5432/db' },
} as const;

/**
 * Checks a URL, or each URL of a list, so that no driver is ever handed one
 * it would misread (ioredis takes `redis:/:pw@host` for a socket path and
 * prints it). `where` names the setting; a list item gets its index.
 */
export function checkServerUrls(value: unknown, where: string, kind: keyof typeof serverUrlRules): void {
  const urls = Array.isArray(value) ? value.map((item: unknown, index) => ({ item, at: `${where}[${index}]` })) : [{ item: value, at: where }];
  for (const { item, at } of urls) {
    try {
      parseServerUrl(item, { ...serverUrlRules[kind], where: at });
    } catch (error) {
      throw new HostConfigError(`${errorText(error)}. Fix: correct it; a password with reserved characters must be percent-encoded`);
    }
  }
}
