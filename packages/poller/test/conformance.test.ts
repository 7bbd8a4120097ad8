import { describe, test } from 'vitest';
import { pollerSuite } from '@belfry/conformance';
import { LANGUAGES } from './support/harness.js';

// servePoller and the plain-Python poller both keep the whole poller contract, POLL-001 to POLL-012.
for (const { language, folder } of LANGUAGES) {
  pollerSuite({ test, describe }, { name: language, folder, slowTick: { kind: 'feed', config: { mode: 'slow' } } });
}
