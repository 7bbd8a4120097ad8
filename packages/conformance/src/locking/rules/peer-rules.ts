import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustBeHeld, mustLock } from '../lock-steps.js';

export const peerRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-022',
    sentence: "separate clients of one backend share locks: 50 contenders spread over two clients yield exactly one winner, and each sees the other's locks",
    requires: ['peers'],
    async run({ locking, peer, ttlMs }) {
      const other = await peer();
      const clients = [locking, other];
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => clients[i % 2]!.tryLock('contended', ttlMs * 20)));
      const winners = results.filter((handle) => handle !== null);
      check(winners.length === 1, `${winners.length} of 50 contenders over two clients got the lock`);
      const held = await mustLock(other, 'seen-by-both', ttlMs * 10, 'lock through the second client');
      await mustBeHeld(locking, 'seen-by-both', ttlMs, "the first client contending for the second client's lock");
      await locking.release(held);
      await mustLock(other, 'seen-by-both', ttlMs, 'the second client after the first released the handle');
    },
  },
];
