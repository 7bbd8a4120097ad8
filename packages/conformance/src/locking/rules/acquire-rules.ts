import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustBeHeld, mustLock } from '../lock-steps.js';

export const acquireRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-001',
    sentence: 'tryLock on a free key resolves a handle with that key, that ttlMs and a fresh lockId of at least 128 bits',
    async run({ locking, ttlMs }) {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i += 1) {
        const handle = await mustLock(locking, 'job', ttlMs, `acquisition ${i + 1}`);
        check(handle.key === 'job', `handle.key is ${JSON.stringify(handle.key)}, expected "job"`);
        check(handle.ttlMs === ttlMs, `handle.ttlMs is ${String(handle.ttlMs)}, expected ${ttlMs}`);
        check(typeof handle.lockId === 'string' && handle.lockId.length >= 22, `lockId ${JSON.stringify(handle.lockId)} is too short to carry 128 random bits`);
        ids.add(handle.lockId);
        await locking.release(handle);
      }
      check(ids.size === 20, `20 acquisitions produced only ${ids.size} distinct lockIds`);
    },
  },
  {
    id: 'LOCK-002',
    sentence: 'tryLock on a key someone else holds resolves null: contention is not an error',
    async run({ locking, ttlMs }) {
      await mustLock(locking, 'job', ttlMs, 'first holder');
      const second = await locking.tryLock('job', ttlMs);
      check(second === null, 'a second tryLock on a held key resolved a handle');
    },
  },
  {
    id: 'LOCK-003',
    sentence: '50 concurrent tryLock calls on one free key yield exactly one handle and 49 nulls',
    async run({ locking, ttlMs }) {
      const results = await Promise.all(Array.from({ length: 50 }, () => locking.tryLock('contended', ttlMs * 20)));
      const winners = results.filter((handle) => handle !== null);
      check(winners.length === 1, `${winners.length} of 50 concurrent contenders got the lock`);
    },
  },
  {
    id: 'LOCK-021',
    sentence: 'holding one key never blocks another, and releasing one never frees another',
    async run({ locking, ttlMs }) {
      const a = await mustLock(locking, 'key-a', ttlMs * 10, 'lock key-a');
      const b = await mustLock(locking, 'key-b', ttlMs * 10, 'lock key-b while key-a is held');
      await locking.release(a);
      await mustBeHeld(locking, 'key-b', ttlMs, 'after releasing key-a');
      await locking.release(b);
    },
  },
];
