import type { InstanceReply } from './redis-instance.js';

/** Replies by instance, `undefined` where none has come yet. */
export type PartialReplies = Array<InstanceReply | undefined>;

/**
 * Resolves as soon as the replies in so far are `enough` (a quorum agreed,
 * so the stragglers cannot change the outcome and are not waited for), or
 * once every instance has answered. Resolves a snapshot: a reply arriving
 * later never changes what the caller decided on. The replies never reject.
 */
export function firstQuorum(pending: Array<Promise<InstanceReply>>, enough: (replies: PartialReplies) => boolean): Promise<PartialReplies> {
  return new Promise((resolve) => {
    const replies: PartialReplies = Array.from({ length: pending.length }, () => undefined);
    let waiting = pending.length;
    let done = false;
    pending.forEach((reply, index) => {
      void reply.then((value) => {
        if (done) return;
        replies[index] = value;
        waiting -= 1;
        if (waiting === 0 || enough(replies)) {
          done = true;
          resolve(replies.slice());
        }
      });
    });
  });
}
