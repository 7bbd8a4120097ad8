import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports the documented API and none of the suites internals', () => {
  expect(Object.keys(api).sort()).toEqual([
    'cursorStoreRules',
    'cursorStoreSuite',
    'defineConformanceTarget',
    'lockingRules',
    'lockingSuite',
    'pollerRules',
    'pollerSuite',
    'runCursorStoreSuite',
    'runLockingSuite',
    'runPollerSuite',
    'runScheduledPluginSuite',
    'runSnapshotStoreSuite',
    'runStatefulSuite',
    'scheduledPluginRules',
    'scheduledPluginSuite',
    'snapshotStoreRules',
    'snapshotStoreSuite',
    'statefulRules',
    'statefulSuite',
  ]);
});
