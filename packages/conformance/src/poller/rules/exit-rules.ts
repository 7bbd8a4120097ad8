import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { PollerContext } from '../poller-context.js';
import { describeExit } from '../poller-session.js';

/** How long a poller may take to exit: the host's grace period before SIGKILL. */
export const EXIT_GRACE_MS = 2000;

/** Leaving: on shutdown, and when the host is gone. */
export const exitRules: Rule<PollerContext>[] = [
  {
    id: 'POLL-009',
    sentence: `shutdown is answered with null, and the poller then exits by itself with code 0 within ${EXIT_GRACE_MS / 1000} s`,
    async run(context) {
      const session = await context.start();
      const reply = await session.request('shutdown', {}, EXIT_GRACE_MS).reply;
      check('result' in reply && reply.result === null, `shutdown was answered with ${JSON.stringify(reply)}, not { result: null }`);
      const exit = await session.exitWithin(EXIT_GRACE_MS);
      check(exit !== null, `the poller answered shutdown but was still running ${EXIT_GRACE_MS} ms later; the host would SIGKILL it`);
      check(exit.code === 0, `the poller exited with ${describeExit(exit)} after shutdown, not exit code 0${session.stderrHint()}`);
    },
  },
  {
    id: 'POLL-010',
    sentence: `when its stdin ends, as when the host is gone, the poller exits within ${EXIT_GRACE_MS / 1000} s without being asked`,
    async run(context) {
      const session = await context.start();
      session.endInput();
      const exit = await session.exitWithin(EXIT_GRACE_MS);
      check(exit !== null, `the poller was still running ${EXIT_GRACE_MS} ms after its stdin ended; a poller must exit when the host is gone`);
    },
  },
];
