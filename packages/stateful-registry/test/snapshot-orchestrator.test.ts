import type { StatefulSnapshot } from '@belfry/plugin-api';
import { describe, expect, it } from 'vitest';
import { MemorySnapshotStore, SnapshotOrchestrator, StatefulRegistry, type SnapshotStore } from '../src/index.js';
import { CounterPlugin } from '../src/example.js';
import { ManualClock } from './support/manual-clock.js';
import { FailingStore, pluginWith, recordingLogger, TextPlugin } from './support/test-plugins.js';

function setup(options: { store?: SnapshotStore; timeoutMs?: number; maxSnapshotBytes?: number; intervalMs?: number } = {}) {
  const registry = new StatefulRegistry();
  const store = options.store ?? new MemorySnapshotStore();
  const clock = new ManualClock();
  const logger = recordingLogger();
  const reports: unknown[] = [];
  const orchestrator = new SnapshotOrchestrator({ registry, store, clock, logger, onSnapshot: (r) => reports.push(r), ...options });
  return { registry, store, clock, logger, orchestrator, reports };
}

describe('SnapshotOrchestrator.snapshotAll', () => {
  it('saves every plugin and reports each as saved, in registration order', async () => {
    const { registry, store, orchestrator } = setup();
    const counter = new CounterPlugin({ id: 'counter' });
    counter.increment(5);
    const text = new TextPlugin('notes');
    text.text = 'hello';
    registry.register(counter);
    registry.register(text);
    expect(await orchestrator.snapshotAll()).toEqual([
      { id: 'counter', status: 'saved' },
      { id: 'notes', status: 'saved' },
    ]);
    expect(await store.list()).toEqual(['counter', 'notes']);
    expect(new TextDecoder().decode((await store.load('notes'))!.bytes)).toBe('hello');
  });

  it('reports a plugin whose snapshot throws as failed, with its message and code, and still saves the others', async () => {
    const { registry, store, orchestrator, logger } = setup();
    registry.register(pluginWith('broken', () => {
      throw new Error('state lock poisoned');
    }));
    registry.register(new CounterPlugin({ id: 'fine' }));
    expect(await orchestrator.snapshotAll()).toEqual([
      { id: 'broken', status: 'failed', error: 'Snapshot of plugin "broken" failed: state lock poisoned', code: 'snapshot_failed' },
      { id: 'fine', status: 'saved' },
    ]);
    expect(await store.list()).toEqual(['fine']);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('state lock poisoned') })]);
  });

  it('bounds a plugin whose snapshot never settles by timeoutMs and saves the others meanwhile', async () => {
    const { registry, store, orchestrator, clock } = setup({ timeoutMs: 2000 });
    registry.register(pluginWith('hung', () => new Promise(() => {})));
    registry.register(new CounterPlugin({ id: 'fine' }));
    let report: unknown;
    void orchestrator.snapshotAll().then((r) => (report = r));
    await clock.advance(1999);
    expect(report).toBeUndefined();
    expect(await store.list()).toEqual(['fine']);
    await clock.advance(1);
    expect(report).toEqual([
      { id: 'hung', status: 'failed', error: 'snapshot() of plugin "hung" did not finish within 2000 ms', code: 'timeout' },
      { id: 'fine', status: 'saved' },
    ]);
  });

  it.each([
    ['a string', () => ({ id: 'bad', version: 1, bytes: 'text' }), 'bytes of type "text" (string of length 4); they must be a Uint8Array'],
    ['an array of numbers', () => ({ id: 'bad', version: 1, bytes: [1, 2] }), 'bytes of type an array of length 2; they must be a Uint8Array'],
    ['an ArrayBuffer', () => ({ id: 'bad', version: 1, bytes: new ArrayBuffer(4) }), 'they must be a Uint8Array'],
    ['no object at all', () => undefined, 'snapshot() returned undefined, not { id, version, bytes }'],
    ['a version of 0', () => ({ id: 'bad', version: 0, bytes: new Uint8Array() }), 'returned version 0; it must be an integer from 1 to 4294967295'],
    ['another plugin id', () => ({ id: 'other', version: 1, bytes: new Uint8Array() }), 'returned id "other" (string of length 5); it must equal the plugin id'],
  ])('reports a snapshot with %s as failed without saving it', async (_, snapshot, reason) => {
    const { registry, store, orchestrator } = setup();
    registry.register(pluginWith('bad', snapshot));
    registry.register(new CounterPlugin({ id: 'fine' }));
    const [bad, fine] = await orchestrator.snapshotAll();
    expect(bad).toMatchObject({ id: 'bad', status: 'failed', code: 'snapshot_failed' });
    expect(bad!.error).toContain(reason);
    expect(fine).toEqual({ id: 'fine', status: 'saved' });
    expect(await store.list()).toEqual(['fine']);
  });

  it('accepts a Buffer, which is a Uint8Array', async () => {
    const { registry, store, orchestrator } = setup();
    registry.register(pluginWith('buf', () => ({ id: 'buf', version: 1, bytes: Buffer.from('abc') })));
    expect(await orchestrator.snapshotAll()).toEqual([{ id: 'buf', status: 'saved' }]);
    expect(Array.from((await store.load('buf'))!.bytes)).toEqual([97, 98, 99]);
  });

  it('fails a payload over maxSnapshotBytes and accepts one exactly at the limit (16 MiB by default)', async () => {
    const { registry, orchestrator } = setup({ maxSnapshotBytes: 1024 });
    registry.register(pluginWith('big', () => ({ id: 'big', version: 1, bytes: new Uint8Array(1025) })));
    registry.register(pluginWith('edge', () => ({ id: 'edge', version: 1, bytes: new Uint8Array(1024) })));
    expect(await orchestrator.snapshotAll()).toEqual([
      {
        id: 'big',
        status: 'failed',
        error: 'Snapshot of plugin "big" failed: snapshot() returned 1025 bytes, over the 1024-byte limit (maxSnapshotBytes)',
        code: 'snapshot_failed',
      },
      { id: 'edge', status: 'saved' },
    ]);
    const defaults = setup();
    defaults.registry.register(pluginWith('huge', () => ({ id: 'huge', version: 1, bytes: new Uint8Array(16 * 1024 * 1024 + 1) })));
    expect((await defaults.orchestrator.snapshotAll())[0]!.error).toContain('over the 16777216-byte limit');
  });

  it('reports a store that fails to save as failed for that plugin only', async () => {
    const { registry, orchestrator } = setup({ store: new FailingStore({ save: ['unlucky'] }) });
    registry.register(new CounterPlugin({ id: 'unlucky' }));
    registry.register(new CounterPlugin({ id: 'lucky' }));
    expect(await orchestrator.snapshotAll()).toEqual([
      { id: 'unlucky', status: 'failed', error: 'Snapshot of plugin "unlucky" failed: disk full while saving unlucky', code: 'snapshot_failed' },
      { id: 'lucky', status: 'saved' },
    ]);
  });

  it('reports a plugin that throws a value with no string form as failed, and still saves the others', async () => {
    const { registry, store, orchestrator } = setup();
    registry.register(pluginWith('odd', () => {
      throw Object.create(null);
    }));
    registry.register(new CounterPlugin({ id: 'fine' }));
    const report = await orchestrator.snapshotAll();
    expect(report).toEqual([
      { id: 'odd', status: 'failed', error: 'Snapshot of plugin "odd" failed: an object', code: 'snapshot_failed' },
      { id: 'fine', status: 'saved' },
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(await store.list()).toEqual(['fine']);
  });

  it('produces plain JSON reports', async () => {
    const { registry, orchestrator } = setup();
    registry.register(pluginWith('x', () => Promise.reject(new Error('nope'))));
    registry.register(new CounterPlugin());
    const report = await orchestrator.snapshotAll();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('SnapshotOrchestrator.restoreAll', () => {
  it('hands each plugin its saved state and reports restored or missing', async () => {
    const store = new MemorySnapshotStore();
    const before = setup({ store });
    const counter = new CounterPlugin();
    counter.increment(41);
    before.registry.register(counter);
    await before.orchestrator.snapshotAll();

    const after = setup({ store });
    const restarted = new CounterPlugin();
    after.registry.register(restarted);
    after.registry.register(new TextPlugin('new-plugin'));
    expect(await after.orchestrator.restoreAll()).toEqual([
      { id: 'counter', status: 'restored' },
      { id: 'new-plugin', status: 'missing' },
    ]);
    expect(restarted.count).toBe(41);
  });

  it('treats UnsupportedVersionError as a reset: deletes the stale bytes, reports it, and restores the others', async () => {
    const { registry, store, orchestrator, logger } = setup();
    await store.save({ id: 'notes', version: 7, bytes: new Uint8Array([1]) });
    await store.save({ id: 'counter', version: 2, bytes: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 3]) });
    const notes = new TextPlugin('notes');
    const counter = new CounterPlugin();
    registry.register(notes);
    registry.register(counter);
    expect(await orchestrator.restoreAll()).toEqual([
      {
        id: 'notes',
        status: 'reset',
        error: 'Plugin "notes" cannot read snapshot version 7 (reads 1); its state is reset',
        code: 'unsupported_version',
      },
      { id: 'counter', status: 'restored' },
    ]);
    expect(await store.load('notes')).toBeNull();
    expect(notes.restored).toEqual([]);
    expect(counter.count).toBe(3);
    expect(logger.lines.map((l) => l.message)).toEqual([expect.stringContaining('Plugin "notes" state was reset')]);
  });

  it('still reports a reset when the stale bytes cannot be deleted, saying so', async () => {
    const { registry, store, orchestrator } = setup({ store: new FailingStore({ delete: ['notes'] }) });
    await store.save({ id: 'notes', version: 9, bytes: new Uint8Array() });
    registry.register(new TextPlugin('notes'));
    const [entry] = await orchestrator.restoreAll();
    expect(entry).toMatchObject({ id: 'notes', status: 'reset', code: 'unsupported_version' });
    expect(entry!.error).toContain('deleting the stale snapshot failed: read-only file system deleting notes');
  });

  it('reports a plugin whose restore throws as failed, keeps its bytes, and restores the others', async () => {
    const { registry, store, orchestrator } = setup();
    await store.save({ id: 'counter', version: 2, bytes: new Uint8Array([1, 2, 3]) });
    await store.save({ id: 'notes', version: 1, bytes: new TextEncoder().encode('kept') });
    const notes = new TextPlugin('notes');
    registry.register(new CounterPlugin());
    registry.register(notes);
    expect(await orchestrator.restoreAll()).toEqual([
      { id: 'counter', status: 'failed', error: 'Restore of plugin "counter" failed: version 2 holds 8 bytes, got 3', code: 'restore_failed' },
      { id: 'notes', status: 'restored' },
    ]);
    expect(notes.text).toBe('kept');
    expect(await store.load('counter')).not.toBeNull();
  });

  it('wraps a plain error thrown by restoreSnapshot in restore_failed naming the plugin', async () => {
    const { registry, store, orchestrator } = setup();
    await store.save({ id: 'p', version: 1, bytes: new Uint8Array() });
    registry.register(pluginWith('p', () => null, () => {
      throw new SyntaxError('Unexpected end of JSON input');
    }));
    expect(await orchestrator.restoreAll()).toEqual([
      { id: 'p', status: 'failed', error: 'Restore of plugin "p" failed: Unexpected end of JSON input', code: 'restore_failed' },
    ]);
  });

  it('bounds a restore that never settles by timeoutMs and reports a store load that fails', async () => {
    const store = new FailingStore({ load: ['disk'] });
    const { registry, orchestrator, clock } = setup({ store, timeoutMs: 500 });
    await store.save({ id: 'hung', version: 1, bytes: new Uint8Array() });
    registry.register(pluginWith('hung', () => null, () => new Promise(() => {})));
    registry.register(pluginWith('disk', () => null, () => undefined));
    let report: unknown;
    void orchestrator.restoreAll().then((r) => (report = r));
    await clock.advance(499);
    expect(report).toBeUndefined();
    await clock.advance(1);
    expect(report).toEqual([
      { id: 'hung', status: 'failed', error: 'restoreSnapshot() of plugin "hung" did not finish within 500 ms', code: 'timeout' },
      { id: 'disk', status: 'failed', error: 'Restore of plugin "disk" failed: I/O error reading disk', code: 'restore_failed' },
    ]);
    expect(clock.pending).toBe(0);
  });

  it('reports a plugin without restoreSnapshot as restored: by contract it ignores its saved state', async () => {
    const { registry, store, orchestrator } = setup();
    await store.save({ id: 'plain', version: 1, bytes: new Uint8Array([1]) });
    registry.register(pluginWith('plain', () => null));
    expect(await orchestrator.restoreAll()).toEqual([{ id: 'plain', status: 'restored' }]);
  });

  it('never hands a plugin a snapshot the store filed under another id', async () => {
    const store = new MemorySnapshotStore();
    const lying: SnapshotStore = {
      save: (s) => store.save(s),
      delete: (id) => store.delete(id),
      list: () => store.list(),
      load: async () => ({ id: 'someone-else', version: 1, bytes: new Uint8Array() }),
    };
    const { registry, orchestrator } = setup({ store: lying });
    const seen: StatefulSnapshot[] = [];
    registry.register(pluginWith('me', () => null, (s) => void seen.push(s)));
    expect(await orchestrator.restoreAll()).toEqual([
      { id: 'me', status: 'failed', error: 'Restore of plugin "me" failed: the store returned a snapshot of "someone-else"', code: 'restore_failed' },
    ]);
    expect(seen).toEqual([]);
  });
});

describe('SnapshotOrchestrator.restoreAll with a store that returns malformed snapshots', () => {
  it.each([
    ['undefined', undefined, 'the store returned undefined, not a snapshot or null'],
    ['a string', 'bytes', 'the store returned "bytes" (string of length 5), not a snapshot or null'],
    ['a version that is not an integer', { id: 'me', version: 'x', bytes: new Uint8Array() }, 'version "x" (string of length 1)'],
    ['bytes that are not a Uint8Array', { id: 'me', version: 1, bytes: 'abc' }, 'bytes of type "abc" (string of length 3)'],
  ])('reports %s from load as failed without calling the plugin, and restores the others', async (_, loaded, reason) => {
    const store = new MemorySnapshotStore();
    const sloppy: SnapshotStore = {
      save: (s) => store.save(s),
      delete: (id) => store.delete(id),
      list: () => store.list(),
      load: async (id) => (id === 'me' ? (loaded as unknown as StatefulSnapshot) : store.load(id)),
    };
    await store.save({ id: 'counter', version: 2, bytes: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 9]) });
    const { registry, orchestrator } = setup({ store: sloppy });
    const seen: StatefulSnapshot[] = [];
    const counter = new CounterPlugin();
    registry.register(pluginWith('me', () => null, (s) => void seen.push(s)));
    registry.register(counter);
    const [me, other] = await orchestrator.restoreAll();
    expect(me).toMatchObject({ id: 'me', status: 'failed', code: 'restore_failed' });
    expect(me!.error).toContain(reason);
    expect(other).toEqual({ id: 'counter', status: 'restored' });
    expect(counter.count).toBe(9);
    expect(seen).toEqual([]);
  });
});

describe('periodic and final snapshots', () => {
  it('snapshots every intervalMs after start, measured on the injected clock', async () => {
    const { registry, store, orchestrator, clock, reports } = setup({ intervalMs: 60_000 });
    const counter = new CounterPlugin();
    registry.register(counter);
    orchestrator.start();
    await clock.advance(59_999);
    expect(reports).toHaveLength(0);
    counter.increment();
    await clock.advance(1);
    expect(reports).toEqual([[{ id: 'counter', status: 'saved' }]]);
    counter.increment();
    await clock.advance(180_000);
    expect(reports).toHaveLength(4);
    const saved = await store.load('counter');
    expect(new DataView(saved!.bytes.buffer).getBigUint64(0)).toBe(2n);
  });

  it('stop cancels the timer and takes a final snapshot; calling it twice returns the same report', async () => {
    const { registry, store, orchestrator, clock, reports } = setup({ intervalMs: 1000 });
    const counter = new CounterPlugin();
    registry.register(counter);
    orchestrator.start();
    orchestrator.start();
    expect(clock.pending).toBe(1);
    counter.increment(7);
    const final = orchestrator.stop();
    expect(orchestrator.stop()).toBe(final);
    expect(await final).toEqual([{ id: 'counter', status: 'saved' }]);
    expect(clock.pending).toBe(0);
    await clock.advance(10_000);
    expect(reports).toHaveLength(1);
    const restored = new CounterPlugin();
    restored.restoreSnapshot((await store.load('counter'))!);
    expect(restored.count).toBe(7);
    expect(() => orchestrator.start()).toThrow(/was stopped/);
  });

  it('stop waits for a pass in progress, so the final snapshot is taken after it and never overlaps it', async () => {
    const { registry, orchestrator, clock } = setup({ intervalMs: 1000, timeoutMs: 60_000 });
    const events: string[] = [];
    let release: () => void = () => {};
    let calls = 0;
    registry.register(
      pluginWith('slow', async () => {
        calls += 1;
        const call = calls;
        events.push(`start ${call}`);
        if (call === 1) await new Promise<void>((resolve) => (release = resolve));
        events.push(`end ${call}`);
        return { id: 'slow', version: 1, bytes: new Uint8Array([call]) };
      }),
    );
    orchestrator.start();
    await clock.advance(1000);
    expect(events).toEqual(['start 1']);
    const final = orchestrator.stop();
    await clock.advance(5000);
    expect(events).toEqual(['start 1']);
    release();
    expect(await final).toEqual([{ id: 'slow', status: 'saved' }]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('keeps periodic snapshots going when the logger itself throws', async () => {
    const registry = new StatefulRegistry();
    const clock = new ManualClock();
    const reports: unknown[] = [];
    const broken = { info() {}, debug() {}, warn: () => { throw new Error('log sink closed'); }, error: () => { throw new Error('log sink closed'); } };
    const orchestrator = new SnapshotOrchestrator({ registry, store: new MemorySnapshotStore(), clock, logger: broken, intervalMs: 1000, onSnapshot: (r) => reports.push(r) });
    registry.register(pluginWith('broken', () => Promise.reject(new Error('nope'))));
    registry.register(new CounterPlugin());
    orchestrator.start();
    await clock.advance(2000);
    expect(reports).toHaveLength(2);
    expect(await orchestrator.stop()).toEqual([
      { id: 'broken', status: 'failed', error: 'Snapshot of plugin "broken" failed: nope', code: 'snapshot_failed' },
      { id: 'counter', status: 'saved' },
    ]);
  });

  it('start without intervalMs is refused', () => {
    const { orchestrator } = setup();
    expect(() => orchestrator.start()).toThrow(/periodic snapshots need options.intervalMs/);
  });
});

describe('SnapshotOrchestrator options', () => {
  const registry = new StatefulRegistry();
  const store = new MemorySnapshotStore();
  it.each([
    [{ registry: undefined, store }, 'options.registry must be a StatefulRegistry, got undefined'],
    [{ registry, store: {} }, 'options.store must be a SnapshotStore (missing save())'],
    [{ registry, store, clock: {} }, 'options.clock must be a Clock'],
    [{ registry, store, intervalMs: 0 }, 'options.intervalMs must be a positive integer, got 0'],
    [{ registry, store, timeoutMs: -5 }, 'options.timeoutMs must be a positive integer, got -5'],
    [{ registry, store, maxSnapshotBytes: 1.5 }, 'options.maxSnapshotBytes must be a positive integer, got 1.5'],
    [{ registry, store, onSnapshot: 'yes' }, 'options.onSnapshot must be a function'],
    [{ registry, store, logger: {} }, 'options.logger must be a Logger { warn, error }'],
  ])('rejects %j with invalid_argument', (options, message) => {
    expect(() => new SnapshotOrchestrator(options as never)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  it('rejects a missing options object', () => {
    expect(() => new SnapshotOrchestrator(undefined as never)).toThrow(/options must be an object/);
  });
});
