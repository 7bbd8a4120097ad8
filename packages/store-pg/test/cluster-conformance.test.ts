import { afterAll, beforeAll, describe, test } from 'vitest';
import { controlSuite, historySuite, presenceSuite } from '@belfry/conformance';
// The PgBouncer helper lives with locking-pg's tests, which run through the same kind of pooler.
import { startPgBouncer } from '../../locking-pg/test/pgbouncer.mjs';
import { clusterTargets, dropTables } from './support/cluster-targets.js';
import { DATABASE_URL } from './support/database.js';

const tables: string[] = [];
afterAll(async () => {
  await dropTables(tables);
});

describe('directly connected: LISTEN/NOTIFY with the re-read backstop', () => {
  const targets = clusterTargets('(direct)', () => DATABASE_URL, tables, { listen: true, pollIntervalMs: 1000 });
  historySuite({ test, describe }, targets.history);
  presenceSuite({ test, describe }, targets.presence);
  controlSuite({ test, describe }, targets.control);
});

describe('through PgBouncer in transaction pooling mode, every client on one server connection: re-reads only', () => {
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  beforeAll(async () => {
    bouncer = await startPgBouncer();
  });
  afterAll(async () => {
    await bouncer?.stop();
  });
  const targets = clusterTargets('through PgBouncer', () => bouncer.singleUrl, tables, { listen: false, pollIntervalMs: 100 });
  historySuite({ test, describe }, targets.history);
  presenceSuite({ test, describe }, targets.presence);
  controlSuite({ test, describe }, targets.control);
});
