import type { Rule } from '../../core/rule.js';
import type { LockingContext } from '../locking-context.js';
import { mustBeHeld, mustLock } from '../lock-steps.js';

/** Keys that break backends which build keys into strings, patterns or queries. */
function hostileKeys(maxKeyLength: number): string[] {
  return [
    `it's "quoted"`,
    'back\\slash\\\\',
    'line\nbreak\r\ttab',
    "'; DROP TABLE locks; --",
    'end"); redis.call("FLUSHALL"); --',
    '{hash}tag{',
    'ünïcödé – 日本語 – Ελληνικά',
    'emoji 🔒🕰️👨‍👩‍👧',
    ' leading and trailing spaces ',
    'x'.repeat(Math.min(2000, maxKeyLength)),
  ];
}

export const keyRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-015',
    sentence: 'keys that differ only by letter case are distinct locks',
    async run({ locking, ttlMs }) {
      for (const key of ['job', 'Job', 'JOB', 'straße', 'STRASSE']) await mustLock(locking, key, ttlMs * 10, `lock ${key}`);
    },
  },
  {
    id: 'LOCK-016',
    sentence: 'keys that differ only by special characters are distinct locks, and glob or LIKE patterns match nothing but themselves',
    async run({ locking, ttlMs }) {
      const plain = await mustLock(locking, 'ab', ttlMs * 10, 'lock "ab"');
      const patterns = ['a*', 'a?', 'a[b]', 'a%', 'a_', 'a.b', 'a:b', 'a b', 'a/b', 'a\\b', '*', '%'];
      for (const key of patterns) {
        const handle = await mustLock(locking, key, ttlMs * 10, `lock ${JSON.stringify(key)} while "ab" is held`);
        await locking.release(handle);
      }
      await mustBeHeld(locking, 'ab', ttlMs, 'after releasing every pattern-like key');
      await locking.release(plain);
    },
  },
  {
    id: 'LOCK-017',
    sentence: 'hostile keys — quotes, backslashes, newlines, SQL and Lua fragments, unicode, emoji and a 2,000-character key — lock, contend, renew and release like any other',
    async run({ locking, ttlMs, maxKeyLength }) {
      for (const key of hostileKeys(maxKeyLength)) {
        const label = JSON.stringify(key.slice(0, 30));
        const handle = await mustLock(locking, key, ttlMs * 10, `lock ${label}`);
        await mustBeHeld(locking, key, ttlMs, `contend on ${label}`);
        await locking.renew(handle);
        await locking.release(handle);
        const again = await mustLock(locking, key, ttlMs, `lock ${label} again after release`);
        await locking.release(again);
      }
    },
  },
];
