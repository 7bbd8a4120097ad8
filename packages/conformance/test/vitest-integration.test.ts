import { describe, test } from 'vitest';
import { faultyLockingTarget } from '../src/fixtures/index.js';
import { lockingSuite } from '../src/index.js';

// What a backend author writes in their own test file: one vitest test per rule.
lockingSuite({ test, describe }, faultyLockingTarget('reference backend through vitest', {}));
