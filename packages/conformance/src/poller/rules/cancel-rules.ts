import { check, sleep } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { PollerContext } from '../poller-context.js';
import { mustAck } from './tick-steps.js';

/** How long the suite lets a slow tick run before it cancels it, as a host would at the deadline. */
const CANCEL_AFTER_MS = 250;

/** `$/cancel`: harmless when stray, effective when it reaches a running tick. */
export const cancelRules: Rule<PollerContext>[] = [
  {
    id: 'POLL-007',
    sentence: '$/cancel for a tick already answered, or for an id never sent, is harmless: the poller stays up and answers its next tick (`long_lived`)',
    requires: ['long_lived'],
    async run(context) {
      const kind = context.manifest.kinds[0]!;
      const session = await context.start();
      const { id, reply } = session.request(context.manifest.tickMethod, context.tickParams(kind), context.manifest.tickTimeoutMs, `the ${kind} tick`);
      await reply;
      session.notify('$/cancel', { id });
      session.notify('$/cancel', { id: 987_654_321 });
      await mustAck(context, session, context.tickParams(kind), 'after stray cancels');
    },
  },
  {
    id: 'POLL-008',
    sentence: 'a running tick sent $/cancel stops: the poller answers it (a JSON-RPC error, -32800 preferred) within the tick timeout and then ticks again (`cancel`)',
    requires: ['cancel'],
    async run(context) {
      const { manifest } = context;
      const slow = context.slowTick!;
      let session = await context.start();
      const params = context.tickParams(slow.kind, slow);
      const { id, reply } = session.request(manifest.tickMethod, params, CANCEL_AFTER_MS + manifest.tickTimeoutMs, 'the cancelled tick');
      await sleep(CANCEL_AFTER_MS);
      check(!session.hasExited, `the poller exited while the slow tick ran${session.stderrHint()}`);
      session.notify('$/cancel', { id });
      await reply.catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)} of the $/cancel: the tick kept running, or was dropped without an answer`);
      });
      session = await context.next(session);
      await mustAck(context, session, context.tickParams(slow.kind), 'after the cancel');
    },
  },
];
