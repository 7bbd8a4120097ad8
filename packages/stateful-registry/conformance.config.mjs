// `pnpm conformance` at the repository root runs the suites against these targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSnapshotStore, MemorySnapshotStore } from './dist/index.js';
import { CounterPlugin } from './dist/example.js';

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  {
    name: 'CounterPlugin',
    stateful: {
      factory: { create: () => new CounterPlugin(), change: (plugin) => void plugin.increment() },
      capabilities: { restore: true, readsVersions: [...CounterPlugin.READS] },
    },
  },
  {
    name: 'MemorySnapshotStore',
    snapshotStore: { factory: { create: () => new MemorySnapshotStore() }, capabilities: { fenced: true } },
  },
  {
    name: 'FileSnapshotStore (temp folder)',
    snapshotStore: {
      factory: {
        create: () => new FileSnapshotStore({ dir: mkdtempSync(join(tmpdir(), 'belfry-conformance-')) }),
        reopen: (store) => new FileSnapshotStore({ dir: store.dir }),
        destroy: (store) => rmSync(store.dir, { recursive: true, force: true }),
      },
      capabilities: { persistent: true },
    },
  },
];
