import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { JsonValue } from '@belfry/plugin-api';
import { FileCursorStore, MemoryCursorStore, type CursorStore } from '../src/index.js';
import { cursorStoreRules, cursorStoreSuite } from '../src/testing/cursor-store-rules.js';

cursorStoreSuite({ test, describe }, { name: 'MemoryCursorStore', create: () => new MemoryCursorStore() });

cursorStoreSuite(
  { test, describe },
  {
    name: 'FileCursorStore',
    create: () => new FileCursorStore({ dir: mkdtempSync(join(tmpdir(), 'belfry-cursors-')) }),
    reopen: (store) => new FileCursorStore({ dir: (store as FileCursorStore).dir }),
    destroy: (store) => rmSync((store as FileCursorStore).dir, { recursive: true, force: true }),
  },
);

describe('the cursor store rules can fail', () => {
  /** A store with one deliberate flaw; arguments are still checked (by a scratch MemoryCursorStore). */
  function brokenStore(flaw: 'ignores_fences' | 'refuses_equal_fence' | 'shares_objects'): CursorStore {
    const stored = new Map<string, { cursor: JsonValue; fence: number }>();
    const validator = new MemoryCursorStore();
    return {
      async load(jobId) {
        await validator.load(jobId);
        const entry = stored.get(jobId);
        return entry === undefined ? null : flaw === 'shares_objects' ? entry : structuredClone(entry);
      },
      async save(jobId, cursor, fence) {
        await validator.save(jobId, cursor, fence);
        const previous = stored.get(jobId);
        if (previous !== undefined && flaw !== 'ignores_fences' && (flaw === 'refuses_equal_fence' ? fence <= previous.fence : fence < previous.fence)) return 'stale';
        stored.set(jobId, { cursor: flaw === 'shares_objects' ? cursor : structuredClone(cursor), fence });
        return 'saved';
      },
    };
  }

  test.each([
    ['ignores_fences', ['CURSOR-004', 'CURSOR-010']],
    ['refuses_equal_fence', ['CURSOR-005']],
    ['shares_objects', ['CURSOR-008']],
  ] as const)('a store that %s fails exactly %j', async (flaw, expected) => {
    const failed: string[] = [];
    for (const rule of cursorStoreRules.filter((candidate) => candidate.persistent !== true)) {
      try {
        await rule.run(brokenStore(flaw), { name: flaw, create: () => brokenStore(flaw) });
      } catch {
        failed.push(rule.id);
      }
    }
    expect(failed).toEqual(expected);
  });
});

describe('FileCursorStore', () => {
  test('saves atomically: one file per job, no temp file left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-cursors-'));
    try {
      const store = new FileCursorStore({ dir: join(dir, 'nested', 'cursors') });
      await store.save('team_calendar', { sync: 'abc' }, 3);
      await store.save('team_calendar', { sync: 'def' }, 4);
      expect(readdirSync(join(dir, 'nested', 'cursors'))).toEqual(['team_calendar.cursor.json']);
      expect(JSON.parse(readFileSync(join(dir, 'nested', 'cursors', 'team_calendar.cursor.json'), 'utf8'))).toEqual({ format: 'belfry-cursor/1', job: 'team_calendar', fence: 4, cursor: { sync: 'def' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged cursor file fails load and save with a message naming the file and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-cursors-'));
    try {
      writeFileSync(join(dir, 'news.cursor.json'), '{"format":"belfry-cursor/1","job":"news","fen');
      const store = new FileCursorStore({ dir });
      await expect(store.load('news')).rejects.toMatchObject({ code: 'cursor_store', message: expect.stringContaining(`${join(dir, 'news.cursor.json')} is not a cursor file of job "news"; move it aside`) });
      await expect(store.save('news', 1, 1)).rejects.toMatchObject({ code: 'cursor_store' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the constructor names a missing dir', () => {
    expect(() => new FileCursorStore({ dir: '' })).toThrow(/options.dir must be a non-empty folder path/);
    expect(() => new FileCursorStore(undefined as never)).toThrow(/options.dir must be a non-empty folder path/);
  });
});
