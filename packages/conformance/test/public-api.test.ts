import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports the documented API and none of the suites internals', () => {
  expect(Object.keys(api).sort()).toEqual([
    'controlRules',
    'controlSuite',
    'cursorStoreRules',
    'cursorStoreSuite',
    'defineConformanceTarget',
    'historyRules',
    'historySuite',
    'lockingRules',
    'lockingSuite',
    'pollerRules',
    'pollerSuite',
    'presenceRules',
    'presenceSuite',
    'runControlSuite',
    'runCursorStoreSuite',
    'runHistorySuite',
    'runLockingSuite',
    'runPollerSuite',
    'runPresenceSuite',
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
