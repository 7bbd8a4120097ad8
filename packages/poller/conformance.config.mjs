// `pnpm conformance` at the repository root runs the suites against these targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileCursorStore, MemoryCursorStore } from './dist/index.js';

const fixture = (name) => fileURLToPath(new URL(`./test/fixtures/${name}`, import.meta.url));
// Each fixture poller runs a tick until it is cancelled when its config says mode "slow".
const slowTick = { kind: 'feed', config: { mode: 'slow' } };

/** @type {import('@belfry/conformance').ConformanceTarget[]} */
export default [
  { name: 'MemoryCursorStore', cursorStore: { factory: { create: () => new MemoryCursorStore() }, capabilities: {} } },
  {
    name: 'FileCursorStore',
    cursorStore: {
      factory: {
        create: () => new FileCursorStore({ dir: mkdtempSync(join(tmpdir(), 'belfry-cursors-')) }),
        reopen: (store) => new FileCursorStore({ dir: store.dir }),
        destroy: (store) => rmSync(store.dir, { recursive: true, force: true }),
      },
      capabilities: { persistent: true },
    },
  },
  { name: 'servePoller (Node)', poller: { folder: fixture('node-poller'), slowTick } },
  { name: 'Python poller', poller: { folder: fixture('python-poller'), slowTick } },
];
