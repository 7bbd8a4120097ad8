import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { PollerContext } from '../poller-context.js';
import type { PollerSession } from '../poller-session.js';
import { EXIT_GRACE_MS } from './exit-rules.js';
import { attempt } from './tick-steps.js';

/** Runs a whole session — a tick of each kind, an undeclared kind, shutdown — whatever fails on the way, and waits for the poller to be gone. */
async function exercise(context: PollerContext): Promise<PollerSession> {
  const session = await context.start();
  for (const kind of context.manifest.kinds) await attempt(() => context.tick(session, context.tickParams(kind)));
  await attempt(() => context.tick(session, { ...context.tickParams(context.manifest.kinds[0]!), kind: 'undeclared_kind_' }));
  await attempt(() => session.request('shutdown', {}, EXIT_GRACE_MS).reply);
  if ((await session.exitWithin(EXIT_GRACE_MS)) === null) {
    // Not this rule's business (POLL-009 and POLL-010 are): make it leave, sparing the rest of its group.
    session.endInput();
    if ((await session.exitWithin(EXIT_GRACE_MS)) === null) session.killLeader();
    await session.exited;
  }
  return session;
}

/** What a poller must not do whatever else it does. */
export const hygieneRules: Rule<PollerContext>[] = [
  {
    id: 'POLL-011',
    sentence: 'everything the poller writes on stdout is a JSON-RPC 2.0 message, one per line, through initialize, ticks, errors and shutdown',
    async run(context) {
      const { junk } = await exercise(context);
      check(junk.length === 0, `${junk.length} stdout line(s) are not JSON-RPC, e.g. ${JSON.stringify(junk[0]?.slice(0, 120))}; write logs to stderr`);
    },
  },
  {
    id: 'POLL-012',
    sentence: 'once the poller has exited, no process it started is left running in its process group',
    async run(context) {
      const session = await exercise(context);
      const left = session.groupMembers();
      check(left.length === 0, `${left.length} process(es) of the poller's group still ran after it exited (pids ${left.join(', ')}); stop and wait for what you start before exiting`);
    },
  },
];
