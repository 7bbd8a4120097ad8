import type { LockHandle } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf, rejectionOf } from '../../core/check.js';
import type { LockingContext } from '../locking-context.js';
import { mustLock } from '../lock-steps.js';

/** A bad value and the text its error message must contain. */
type BadValue = [value: unknown, shownAs: string];

const badKeys: BadValue[] = [
  ['', '""'],
  [42, '42'],
  [null, 'null'],
  [undefined, 'undefined'],
];

const badTtls: BadValue[] = [
  [0, '0'],
  [-1000, '-1000'],
  [1.5, '1.5'],
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  ['1000', '1000'],
  [null, 'null'],
];

async function expectInvalid(call: () => Promise<unknown>, shownAs: string, what: string): Promise<void> {
  const error = await rejectionOf(
    Promise.resolve().then(call),
    `${what} resolved instead of rejecting with invalid_argument`,
  );
  check(codeOf(error) === 'invalid_argument', `${what} rejected with ${codeOf(error) ?? String(error)} instead of invalid_argument`);
  const message = error instanceof Error ? error.message : '';
  check(message.includes(shownAs), `${what}: the message ${JSON.stringify(message)} does not name the bad value ${shownAs}`);
}

export const argumentRules: Rule<LockingContext>[] = [
  {
    id: 'LOCK-018',
    sentence: 'tryLock with a bad key (empty, not a string) or a bad TTL (zero, negative, fractional, NaN, infinite, not a number) rejects with invalid_argument naming the value',
    async run({ locking, ttlMs }) {
      for (const [key, shownAs] of badKeys) {
        await expectInvalid(() => locking.tryLock(key as string, ttlMs), shownAs, `tryLock(${shownAs}, ${ttlMs})`);
      }
      for (const [ttl, shownAs] of badTtls) {
        await expectInvalid(() => locking.tryLock('job', ttl as number), shownAs, `tryLock("job", ${shownAs})`);
      }
    },
  },
  {
    id: 'LOCK-019',
    sentence: 'renew and release with a malformed handle reject with invalid_argument',
    async run({ locking, ttlMs }) {
      const real = await mustLock(locking, 'job', ttlMs * 10, 'take the lock');
      const malformed: BadValue[] = [
        [null, 'null'],
        [{ ...real, key: '' }, '""'],
        [{ ...real, lockId: 42 }, '42'],
        [{ ...real, ttlMs: -1 }, '-1'],
      ];
      for (const [handle, shownAs] of malformed) {
        await expectInvalid(() => locking.renew(handle as LockHandle), shownAs, `renew(handle with ${shownAs})`);
        await expectInvalid(() => locking.release(handle as LockHandle), shownAs, `release(handle with ${shownAs})`);
      }
    },
  },
  {
    id: 'LOCK-020',
    sentence: 'a handle that went through a JSON round trip still renews and releases its lock',
    async run({ locking, ttlMs }) {
      const handle = await mustLock(locking, 'job', ttlMs * 10, 'take the lock');
      const copy = JSON.parse(JSON.stringify(handle)) as LockHandle;
      await locking.renew(copy);
      await locking.release(copy);
      await mustLock(locking, 'job', ttlMs, 'after releasing with the copied handle');
    },
  },
];
