// The embedded default backend, through the suite exactly as a backend author would run it.
import { describe, test } from 'vitest';
import { lockingSuite } from '../src/index.js';
import { MemoryLocking, MEMORY_LOCK_MAX_KEY_LENGTH } from '@belfry/locking-memory';

lockingSuite(
  { test, describe },
  {
    name: 'MemoryLocking',
    factory: { create: () => new MemoryLocking() },
    capabilities: { fences: true, maxKeyLength: MEMORY_LOCK_MAX_KEY_LENGTH },
  },
);
