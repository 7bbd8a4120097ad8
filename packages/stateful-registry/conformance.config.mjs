// `pnpm conformance` at the repository root runs the suites against these targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@belfry/scheduler-core';
import { FileSnapshotStore, MemoryControl, MemoryPresence, MemoryRunHistory, MemorySnapshotStore } from './dist/index.js';
import { CounterPlugin } from './dist/example.js';

// Each memory cluster store runs on its own manual clock, shared with its peers, so time rules need no waiting.
const clocks = new WeakMap();
function clockedFactory(make) {
  return {
    create: (options) => {
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const store = make(clock, options);
      clocks.set(store, clock);
      return store;
    },
    peer: (store) => {
      const other = store.peer();
      clocks.set(other, clocks.get(store));
      return other;
    },
    now: (store) => clocks.get(store).now(),
    elapse: (store, ms) => clocks.get(store).advance(ms),
  };
}

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
  {
    name: 'MemoryRunHistory, MemoryPresence, MemoryControl',
    runHistory: { factory: clockedFactory((clock, retention) => new MemoryRunHistory({ ...retention, clock })) },
    presence: { factory: clockedFactory((clock) => new MemoryPresence({ clock })) },
    control: { factory: clockedFactory((clock) => new MemoryControl({ clock })) },
  },
];
