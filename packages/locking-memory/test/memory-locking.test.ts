import { describe, expect, it } from 'vitest';
import { MemoryLocking, MEMORY_LOCK_MAX_KEY_LENGTH } from '../src/index.js';
import { TestClock } from './test-clock.js';

function setup() {
  const clock = new TestClock();
  return { clock, locking: new MemoryLocking({ clock }) };
}

describe('MemoryLocking', () => {
  it('hands out a 128-bit random lockId and the requested key and ttl', async () => {
    const { locking } = setup();
    const a = await locking.tryLock('job', 1000);
    await locking.release(a!);
    const b = await locking.tryLock('job', 1000);
    expect(a).toMatchObject({ key: 'job', ttlMs: 1000 });
    expect(a!.lockId).toMatch(/^[0-9a-f]{32}$/);
    expect(b!.lockId).not.toBe(a!.lockId);
  });

  it('keeps lockIds random and distinct across many acquisitions (past a refill of the random pool)', async () => {
    const { locking } = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      const handle = await locking.tryLock(`job-${i}`, 1000);
      expect(handle!.lockId).toMatch(/^[0-9a-f]{32}$/);
      ids.add(handle!.lockId);
    }
    expect(ids.size).toBe(1_000);
  });

  it('keeps a lock until exactly its TTL has passed on the injected clock', async () => {
    const { clock, locking } = setup();
    await locking.tryLock('job', 1000);
    clock.advance(999);
    expect(await locking.tryLock('job', 1000)).toBeNull();
    clock.advance(1);
    expect(await locking.tryLock('job', 1000)).not.toBeNull();
  });

  it('renew resets the lifetime to the handle ttl from now', async () => {
    const { clock, locking } = setup();
    const handle = (await locking.tryLock('job', 1000))!;
    clock.advance(900);
    await locking.renew(handle);
    clock.advance(900);
    expect(await locking.tryLock('job', 1000)).toBeNull();
    clock.advance(100);
    expect(await locking.tryLock('job', 1000)).not.toBeNull();
  });

  it('renew never revives an expired lock, even when nobody took the key', async () => {
    const { clock, locking } = setup();
    const handle = (await locking.tryLock('job', 1000))!;
    clock.advance(1000);
    await expect(locking.renew(handle)).rejects.toMatchObject({ code: 'lock_lost' });
    expect(await locking.tryLock('job', 1000)).not.toBeNull();
  });

  it('release with a stale handle leaves the new holder in place', async () => {
    const { clock, locking } = setup();
    const old = (await locking.tryLock('job', 1000))!;
    clock.advance(1000);
    const fresh = (await locking.tryLock('job', 1000))!;
    await locking.release(old);
    expect(await locking.tryLock('job', 1000)).toBeNull();
    await locking.renew(fresh);
  });

  it('fences strictly increase per key, across release and expiry', async () => {
    const { clock, locking } = setup();
    const fences: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const handle = (await locking.tryLock('job', 10))!;
      fences.push(handle.fence!);
      await locking.tryLock('other', 10);
      if (i % 2 === 0) await locking.release(handle);
      else clock.advance(10);
    }
    for (let i = 1; i < fences.length; i += 1) expect(fences[i]).toBeGreaterThan(fences[i - 1]!);
  });

  it('accepts keys up to the documented limit and rejects longer ones naming the length', async () => {
    const { locking } = setup();
    expect(await locking.tryLock('k'.repeat(MEMORY_LOCK_MAX_KEY_LENGTH), 10)).not.toBeNull();
    await expect(locking.tryLock('k'.repeat(MEMORY_LOCK_MAX_KEY_LENGTH + 1), 10)).rejects.toThrow(
      /at most 4096 characters \(got "k+\.\.\." \(string of length 4097\)\)/,
    );
  });

  it.each([
    ['', /got "" \(string of length 0\)/],
    [42, /got 42/],
    [null, /got null/],
  ])('rejects the key %j with invalid_argument naming it', async (key, message) => {
    const { locking } = setup();
    await expect(locking.tryLock(key as string, 10)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(message) });
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100'])('rejects the ttl %s with invalid_argument naming it', async (ttl) => {
    const { locking } = setup();
    const error = await locking.tryLock('job', ttl as number).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect((error as Error).message).toContain(typeof ttl === 'string' ? '"100"' : String(ttl));
  });

  it('forgets expired keys so memory does not grow with keys never used again', async () => {
    const { clock, locking } = setup();
    for (let i = 0; i < 10_000; i += 1) {
      await locking.tryLock(`key-${i}`, 5);
      clock.advance(1);
    }
    expect(locking.storedKeys).toBeLessThan(200);
  });

  it('declares what it supports', () => {
    expect(new MemoryLocking().supports).toEqual({ fences: true, fenceKey: true, peers: false, maxKeyLength: MEMORY_LOCK_MAX_KEY_LENGTH, maxCallMs: 1000 });
  });

  it('after cleanup() rejects every call with lock_backend saying it was closed, and cleanup() may be called again', async () => {
    const { locking } = setup();
    const handle = (await locking.tryLock('job', 1000))!;
    await locking.cleanup();
    const closed = { name: 'LockBackendError', code: 'lock_backend', message: expect.stringContaining('was closed by cleanup()') };
    await expect(locking.tryLock('other', 1000)).rejects.toMatchObject(closed);
    await expect(locking.renew(handle)).rejects.toMatchObject(closed);
    await expect(locking.release(handle)).rejects.toMatchObject(closed);
    await expect(locking.cleanup()).resolves.toBeUndefined();
  });

  it('accepts a fence scope and rejects a bad one naming the option', async () => {
    const { locking } = setup();
    const a = (await locking.tryLock('job:1', 1000, { fenceKey: 'job' }))!;
    const b = (await locking.tryLock('job:2', 1000, { fenceKey: 'job' }))!;
    expect(b.fence).toBeGreaterThan(a.fence!);
    await expect(locking.tryLock('job:3', 1000, { fenceKey: '' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('tryLock option "fenceKey" must be a non-empty string'),
    });
  });

  it('rejects a clock without now() and setTimer()', () => {
    expect(() => new MemoryLocking({ clock: {} as never })).toThrow(/clock/);
  });
});
