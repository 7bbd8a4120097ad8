import { describe, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import type { LockingPlugin } from '@belfry/plugin-api';
import { PgLocking, type PgLockingOptions } from '../src/index.js';
import { DATABASE_URL, dropLockTable, uniqueName } from './database.js';

/** Where each instance lives, so a peer can join it and destroy() can clean up after it. */
const namespaces = new WeakMap<LockingPlugin, PgLockingOptions>();

async function open(options: PgLockingOptions): Promise<PgLocking> {
  const locking = new PgLocking(options);
  namespaces.set(locking, options);
  await locking.setup();
  return locking;
}

const unreachable = (): LockingPlugin =>
  new PgLocking({ connectionString: 'postgres://postgres:secret@127.0.0.1:1/test', timeoutMs: 2000 });

// Lease mode: every rule gets its own table.
lockingSuite(
  { test, describe },
  {
    name: 'pg (lease)',
    factory: {
      create: () => open({ connectionString: DATABASE_URL, mode: 'lease', table: uniqueName('conf_lease') }),
      createPeer: (plugin) => open({ ...namespaces.get(plugin)! }),
      createUnreachable: unreachable,
      async destroy(plugin) {
        await plugin.cleanup?.();
        const options = namespaces.get(plugin);
        if (options?.table !== undefined) await dropLockTable(options.table);
      },
    },
  },
);

// Advisory mode: every rule gets its own key prefix. Handles are bound to the
// instance whose connection holds the session lock, so `peers` (which also
// releases one client's handle through the other) is not claimed; contention
// between instances is covered in advisory-mode.test.ts.
lockingSuite(
  { test, describe },
  {
    name: 'pg (advisory)',
    factory: {
      create: () =>
        open({ connectionString: DATABASE_URL, mode: 'advisory', keyPrefix: `${uniqueName('conf')}:`, maxConnections: 20 }),
      createUnreachable: unreachable,
      destroy: (plugin) => plugin.cleanup?.(),
    },
  },
);
