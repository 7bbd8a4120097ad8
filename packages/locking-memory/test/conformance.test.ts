import { describe, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import { MemoryLocking, MEMORY_LOCK_MAX_KEY_LENGTH } from '../src/index.js';

lockingSuite(
  { test, describe },
  {
    name: 'MemoryLocking',
    factory: { create: () => new MemoryLocking() },
    capabilities: { fences: true, maxKeyLength: MEMORY_LOCK_MAX_KEY_LENGTH },
  },
);
