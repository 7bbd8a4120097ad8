import { describe, test } from 'vitest';
import { faultyLockingTarget, faultySnapshotStoreTarget, faultyStatefulTarget } from '../src/fixtures/index.js';
import { lockingSuite, snapshotStoreSuite, statefulSuite } from '../src/index.js';

// What a backend author writes in their own test file: one vitest test per rule.
lockingSuite({ test, describe }, faultyLockingTarget('reference backend through vitest', {}));

// The same for a stateful plugin and for a snapshot store.
statefulSuite({ test, describe }, faultyStatefulTarget('reference plugin through vitest', {}));
snapshotStoreSuite({ test, describe }, faultySnapshotStoreTarget('reference store through vitest', {}));
