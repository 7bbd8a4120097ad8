import { PLUGIN_API_VERSION } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { PollerContext } from '../poller-context.js';
import { errorOf, mustAck } from './tick-steps.js';

/** initialize, ticks and the errors for what a poller cannot do. */
export const tickRules: Rule<PollerContext>[] = [
  {
    id: 'POLL-001',
    sentence: 'initialize is answered within the tick timeout with { kinds } listing exactly the kinds the manifest declares',
    async run(context) {
      const { manifest } = context;
      const session = context.spawn();
      const params = { apiVersion: PLUGIN_API_VERSION, plugin: manifest.id, kinds: manifest.kinds };
      const reply = await session.request('initialize', params, manifest.tickTimeoutMs).reply;
      check('result' in reply, `initialize was answered with JSON-RPC error ${errorOf(reply)}${session.stderrHint()}`);
      const kinds = (reply.result as { kinds?: unknown } | null)?.kinds;
      check(Array.isArray(kinds) && kinds.every((kind) => typeof kind === 'string'), `initialize answered ${JSON.stringify(reply.result)}, not { kinds: [...] }`);
      const got = [...kinds].sort().join(', ');
      const expected = [...manifest.kinds].sort().join(', ');
      check(got === expected && kinds.length === manifest.kinds.length, `initialize answered kinds [${kinds.join(', ')}] but the manifest declares [${manifest.kinds.join(', ')}]`);
    },
  },
  {
    id: 'POLL-002',
    sentence: 'a tick of each declared kind, with its sample input, is answered within the tick timeout with a TickAck: a JSON cursor (null for none) and at most 100 finite metrics',
    async run(context) {
      let session = await context.start();
      for (const kind of context.manifest.kinds) {
        await mustAck(context, session, context.tickParams(kind), 'with the sample input');
        session = await context.next(session);
      }
    },
  },
  {
    id: 'POLL-003',
    sentence: "the cursor a tick returned, given back on the next tick of its kind, is answered with a TickAck too, so a job's ticks chain",
    async run(context) {
      let session = await context.start();
      for (const kind of context.manifest.kinds) {
        let cursor = await mustAck(context, session, context.tickParams(kind), 'the first tick');
        for (const step of ['the second tick, given the first tick\'s cursor', 'the third tick, given the second tick\'s cursor']) {
          session = await context.next(session);
          const { config } = context.tickParams(kind);
          // The host stores the cursor as JSON, so that is how it comes back.
          cursor = await mustAck(context, session, context.tickParams(kind, { config, cursor: JSON.parse(JSON.stringify(cursor ?? null)) }), step);
        }
        session = await context.next(session);
      }
    },
  },
  {
    id: 'POLL-004',
    sentence: 'a tick of a kind the manifest does not declare is answered with a JSON-RPC error within the tick timeout, and a declared kind still ticks after it',
    async run(context) {
      const { kinds } = context.manifest;
      let undeclared = 'undeclared_kind';
      while (kinds.includes(undeclared)) undeclared += '_x';
      let session = await context.start();
      const reply = await context.tick(session, { ...context.tickParams(kinds[0]!), kind: undeclared });
      check('error' in reply, `a tick of kind ${JSON.stringify(undeclared)} was answered with a result, not a JSON-RPC error (-32602 "unknown kind")`);
      session = await context.next(session);
      await mustAck(context, session, context.tickParams(kinds[0]!), 'after the undeclared kind');
    },
  },
  {
    id: 'POLL-005',
    sentence: 'a request for an unknown method is answered with a JSON-RPC error, and the poller keeps serving',
    async run(context) {
      const { manifest } = context;
      const session = await context.start();
      const reply = await session.request('conformance/unknown_method', {}, manifest.tickTimeoutMs).reply;
      check('error' in reply, 'a request for an unknown method was answered with a result, not a JSON-RPC error (-32601)');
      await mustAck(context, session, context.tickParams(manifest.kinds[0]!), 'after the unknown method');
    },
  },
  {
    id: 'POLL-006',
    sentence: 'ticks in flight together, max_concurrent_ticks of every kind at once, are each answered within the tick timeout with a TickAck (`long_lived`)',
    requires: ['long_lived'],
    async run(context) {
      const { manifest } = context;
      const session = await context.start();
      const ticks = manifest.kinds.flatMap((kind) => Array.from({ length: manifest.maxConcurrentTicks }, (_, slot) => ({ kind, slot })));
      await Promise.all(
        ticks.map(({ kind, slot }) => mustAck(context, session, { ...context.tickParams(kind), job: `conformance-${slot}` }, `${kind} tick ${slot + 1} of ${ticks.length} in flight`)),
      );
    },
  },
];
