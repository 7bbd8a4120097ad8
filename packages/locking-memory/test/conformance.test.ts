// MemoryLocking through the conformance suite, exactly as a backend author would run it:
// the suite reads what it supports from the instance.
import { describe, test } from 'vitest';
import { lockingSuite } from '@belfry/conformance';
import { MemoryLocking } from '../src/index.js';

lockingSuite({ test, describe }, { name: 'MemoryLocking', factory: { create: () => new MemoryLocking() } });
