import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotStoreSuite, statefulSuite, type SnapshotStoreLike } from '@belfry/conformance';
import { createFsFromVolume, Volume } from 'memfs';
import { describe, test } from 'vitest';
import { FileSnapshotStore, MemorySnapshotStore, type SnapshotFs } from '../src/index.js';
import { CounterPlugin } from '../src/example.js';
import { recordingLogger } from './support/test-plugins.js';

statefulSuite(
  { test, describe },
  {
    name: 'CounterPlugin',
    factory: { create: () => new CounterPlugin(), change: (plugin) => void (plugin as CounterPlugin).increment() },
    capabilities: { restore: true, readsVersions: [...CounterPlugin.READS] },
  },
);

snapshotStoreSuite({ test, describe }, { name: 'MemorySnapshotStore', factory: { create: () => new MemorySnapshotStore() }, capabilities: { fenced: true } });

snapshotStoreSuite(
  { test, describe },
  {
    name: 'FileSnapshotStore on disk',
    factory: {
      create: () => new FileSnapshotStore({ dir: mkdtempSync(join(tmpdir(), 'belfry-store-')), logger: recordingLogger() }),
      reopen: (store) => new FileSnapshotStore({ dir: (store as FileSnapshotStore).dir, logger: recordingLogger() }),
      destroy: (store) => rmSync((store as FileSnapshotStore).dir, { recursive: true, force: true }),
    },
    capabilities: { persistent: true },
  },
);

const volumes = new WeakMap<SnapshotStoreLike, SnapshotFs>();
snapshotStoreSuite(
  { test, describe },
  {
    name: 'FileSnapshotStore on memfs',
    factory: {
      create: () => {
        const fs = createFsFromVolume(new Volume()) as SnapshotFs;
        const store = new FileSnapshotStore({ dir: '/snapshots', fs, logger: recordingLogger() });
        volumes.set(store, fs);
        return store;
      },
      reopen: (store) => new FileSnapshotStore({ dir: '/snapshots', fs: volumes.get(store)!, logger: recordingLogger() }),
    },
    capabilities: { persistent: true },
  },
);
