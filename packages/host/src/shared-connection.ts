import type { LockingPlugin } from '@belfry/plugin-api';
import { errorText } from '@belfry/internal';
import { HostStartError } from './host-errors.js';

/** A store class of a cluster store package: what the host calls on every one of them. */
export type StoreClass<Store> = new (options: Record<string, unknown>) => Store & { setup?(): Promise<void>; close(): Promise<void> };

/** The exports of a cluster store package, read by class name. */
export type StoreModule<Store> = Record<string, StoreClass<Store> | undefined>;

/** Loads `@belfry/store-redis` or `@belfry/store-pg` (optional peers of the host); a missing one stops the start with the fix. */
export async function importStorePackage<Store>(packageName: '@belfry/store-redis' | '@belfry/store-pg', purpose: string): Promise<StoreModule<Store>> {
  try {
    return (await import(packageName)) as StoreModule<Store>;
  } catch (error) {
    throw new HostStartError(`${purpose} needs ${packageName}, which could not be loaded (${errorText(error)}). Fix: pnpm add ${packageName}`);
  }
}

/**
 * The connection RedisLocking (`clients`, the first of a quorum) or
 * PgLocking (`pool`) exposes, read without depending on their packages, so
 * a store shares the lock backend's connection instead of opening its own.
 */
export function lockConnection(locking: LockingPlugin): { client?: unknown; pool?: unknown } {
  const { clients, pool } = locking as { clients?: unknown; pool?: unknown };
  return { ...(Array.isArray(clients) && clients.length > 0 ? { client: clients[0] as unknown } : {}), ...(pool === undefined ? {} : { pool }) };
}
