import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cursorStoreSuite } from '@belfry/conformance';
import { FileCursorStore, MemoryCursorStore } from '../src/index.js';

cursorStoreSuite({ test, describe }, { name: 'MemoryCursorStore', factory: { create: () => new MemoryCursorStore() }, capabilities: {} });

cursorStoreSuite(
  { test, describe },
  {
    name: 'FileCursorStore',
    factory: {
      create: () => new FileCursorStore({ dir: mkdtempSync(join(tmpdir(), 'belfry-cursors-')) }),
      reopen: (store) => new FileCursorStore({ dir: (store as FileCursorStore).dir }),
      // Each reopened instance shares its folder with the first; removing it twice is harmless.
      destroy: (store) => rmSync((store as FileCursorStore).dir, { recursive: true, force: true }),
    },
    capabilities: { persistent: true },
  },
);

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
