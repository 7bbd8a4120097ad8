import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { RedisCursorStore } from '../src/index.js';
import { adminClient, purgePrefix, REDIS_URL, uniquePrefix } from './support/redis.js';

const admin = adminClient();
const prefix = uniquePrefix();
const opened: RedisCursorStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await purgePrefix(admin, prefix);
  admin.disconnect();
});

function open(options: Partial<ConstructorParameters<typeof RedisCursorStore>[0]> = {}): RedisCursorStore {
  const store = new RedisCursorStore(options.client === undefined ? { url: REDIS_URL, keyPrefix: prefix, ...options } : { keyPrefix: prefix, ...options });
  opened.push(store);
  return store;
}

describe('RedisCursorStore', () => {
  test('keeps each job in one hash at <keyPrefix>cursor:<job id> with the fence and the cursor as JSON', async () => {
    const store = open();
    await store.save('layout', { page: 2 }, 7);
    expect(await admin.hgetall(`${prefix}cursor:layout`)).toEqual({ fence: '7', cursor: '{"page":2}' });
  });

  test('50 concurrent saves with random fences from two connections leave the highest fence; a save below a fence its own connection saved before is stale', async () => {
    const stores = [open(), open()];
    const saves = Array.from({ length: 50 }, (_, index) => ({ store: index % 2, fence: Math.floor(Math.random() * 20), index }));
    const results = await Promise.all(saves.map((save) => stores[save.store]!.save('race', { from: save.index }, save.fence)));
    const max = Math.max(...saves.map((save) => save.fence));
    const stored = await stores[0]!.load('race');
    expect(stored?.fence).toBe(max);
    // The cursor is that of a save with the highest fence that was saved.
    const winner = saves[(stored!.cursor as { from: number }).from]!;
    expect(winner.fence).toBe(max);
    expect(results[winner.index]).toBe('saved');
    // One connection delivers its commands in order, so its own history must be consistent.
    for (const side of [0, 1]) {
      let highestSaved = -1;
      for (const save of saves.filter((candidate) => candidate.store === side)) {
        if (save.fence < highestSaved) expect(results[save.index], `save #${save.index} (fence ${save.fence}) after fence ${highestSaved}`).toBe('stale');
        if (results[save.index] === 'saved') highestSaved = Math.max(highestSaved, save.fence);
      }
    }
    // Every refusal was caused by a higher fence that was saved.
    const savedFences = saves.filter((save) => results[save.index] === 'saved').map((save) => save.fence);
    for (const save of saves.filter((candidate) => results[candidate.index] === 'stale')) {
      expect(savedFences.some((fence) => fence > save.fence)).toBe(true);
    }
  });

  test('fences up to Number.MAX_SAFE_INTEGER compare exactly', async () => {
    const store = open();
    expect(await store.save('big', 'top', Number.MAX_SAFE_INTEGER)).toBe('saved');
    expect(await store.save('big', 'below', Number.MAX_SAFE_INTEGER - 1)).toBe('stale');
    expect(await store.load('big')).toEqual({ cursor: 'top', fence: Number.MAX_SAFE_INTEGER });
  });

  test('a key that does not hold a cursor makes load reject with store_backend naming the key and the fix', async () => {
    const store = open();
    await admin.hset(`${prefix}cursor:broken`, { fence: '3', cursor: '{not json' });
    await expect(store.load('broken')).rejects.toMatchObject({
      code: 'store_backend',
      message: expect.stringContaining(`key "${prefix}cursor:broken" does not hold a cursor`),
    });
    await admin.set(`${prefix}cursor:wrongtype`, 'x');
    await expect(store.load('wrongtype')).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining('WRONGTYPE') });
    await expect(store.save('wrongtype', 1, 1)).rejects.toMatchObject({ code: 'store_backend', message: expect.stringContaining('RedisCursorStore.save("wrongtype")') });
  });

  test('close() leaves a given client open; later calls reject with store_backend, and close() may be called again', async () => {
    const client = adminClient();
    try {
      const store = open({ client });
      await store.save('closing', 1, 1);
      await store.close();
      await store.close();
      expect(await client.ping()).toBe('PONG');
      await expect(store.load('closing')).rejects.toMatchObject({ code: 'store_backend', message: 'RedisCursorStore.load("closing"): the store was closed' });
    } finally {
      client.disconnect();
    }
  });
});
