import { expect, test } from 'vitest';
import { untilAborted } from '../src/process/until-aborted.js';

test('with a signal already aborted, untilAborted rejects at once and the work rejecting later is not an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    let fail = (_: Error): void => {};
    const work = new Promise((_, reject) => {
      fail = reject;
    });
    await expect(untilAborted(work, controller.signal)).rejects.toThrow('stopping');
    // As when a process still starting is killed by a stop: its pending request fails afterwards.
    fail(new Error('the poller exited'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
