import { createFsFromVolume, Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { FileSnapshotStore, SnapshotOrchestrator, StatefulRegistry, type CorruptSnapshotFile, type FileSnapshotStoreOptions, type SnapshotFs } from '../src/index.js';
import { CounterPlugin } from '../src/example.js';
import { encodeEnvelope } from '../src/envelope-tools.js';
import { ManualClock } from './support/manual-clock.js';
import { recordingLogger } from './support/test-plugins.js';

const DIR = '/state/snapshots';

function setup(options: Partial<FileSnapshotStoreOptions> = {}) {
  const volume = new Volume();
  const fs = createFsFromVolume(volume);
  const clock = new ManualClock(1_700_000_000_000);
  const logger = recordingLogger();
  const corrupt: CorruptSnapshotFile[] = [];
  const open = () => new FileSnapshotStore({ dir: DIR, fs, clock, logger, onCorruptFile: (file) => corrupt.push(file), ...options });
  return { volume, fs, clock, logger, corrupt, store: open(), open };
}

const snap = (id: string, fill: number, length = 4, version = 1) => ({ id, version, bytes: new Uint8Array(length).fill(fill) });
const files = (fs: ReturnType<typeof setup>['fs']) => (fs.readdirSync(DIR) as string[]).sort();

describe('FileSnapshotStore on memfs: files and generations', () => {
  it('creates the folder and writes <id>.<generation>.snap with no temp file left behind', async () => {
    const { store, fs } = setup();
    await store.save(snap('counter', 1));
    expect(files(fs)).toEqual(['counter.1.snap']);
    expect(Buffer.from(fs.readFileSync(`${DIR}/counter.1.snap`) as Buffer).subarray(0, 8).toString()).toBe('BELFSNAP');
  });

  it('keeps the previous generation after a save and drops older ones (generations = 2 by default)', async () => {
    const { store, fs } = setup();
    await store.save(snap('counter', 1));
    await store.save(snap('counter', 2));
    expect(files(fs)).toEqual(['counter.1.snap', 'counter.2.snap']);
    await store.save(snap('counter', 3));
    expect(files(fs)).toEqual(['counter.2.snap', 'counter.3.snap']);
    expect(await store.load('counter')).toEqual(snap('counter', 3));
  });

  it('honours generations = 1 and generations = 3', async () => {
    const one = setup({ generations: 1 });
    for (const fill of [1, 2, 3]) await one.store.save(snap('c', fill));
    expect(files(one.fs)).toEqual(['c.3.snap']);
    const three = setup({ generations: 3 });
    for (const fill of [1, 2, 3, 4, 5]) await three.store.save(snap('c', fill));
    expect(files(three.fs)).toEqual(['c.3.snap', 'c.4.snap', 'c.5.snap']);
  });

  it('stamps each file with the clock time as created-at', async () => {
    const { store, fs, clock } = setup();
    await clock.advance(5000);
    await store.save(snap('counter', 1));
    const file = fs.readFileSync(`${DIR}/counter.1.snap`) as Buffer;
    expect(Number(file.readBigUInt64BE(16))).toBe(1_700_000_005_000);
  });

  it('delete removes every generation and temp file of the id, and nothing of other ids', async () => {
    const { store, fs } = setup();
    await store.save(snap('a', 1));
    await store.save(snap('a', 2));
    await store.save(snap('ab', 3));
    fs.writeFileSync(`${DIR}/a.3.snap.tmp-0123abcd`, 'half written');
    await store.delete('a');
    expect(files(fs)).toEqual(['ab.1.snap']);
    expect(await store.list()).toEqual(['ab']);
  });

  it('lists and loads nothing from a folder that does not exist yet, and deletes there without error', async () => {
    const { store, fs } = setup();
    expect(await store.list()).toEqual([]);
    expect(await store.load('x')).toBeNull();
    await store.delete('x');
    expect(fs.existsSync(DIR)).toBe(false);
  });
});

describe('FileSnapshotStore on memfs: damaged files', () => {
  it('moves a corrupted newest file aside, reports it with its path, and falls back to the previous generation', async () => {
    const { store, fs, corrupt, logger } = setup();
    await store.save(snap('counter', 1));
    await store.save(snap('counter', 2));
    const newest = `${DIR}/counter.2.snap`;
    const bytes = fs.readFileSync(newest) as Buffer;
    bytes[40]! ^= 0xff;
    fs.writeFileSync(newest, bytes);

    expect(await store.load('counter')).toEqual(snap('counter', 1));
    expect(corrupt).toEqual([
      { id: 'counter', path: newest, movedTo: `${newest}.corrupt-1700000000000`, reason: 'checksum mismatch (the file is corrupted)' },
    ]);
    expect(files(fs)).toEqual(['counter.1.snap', 'counter.2.snap.corrupt-1700000000000']);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining(`Snapshot file ${newest} is unusable (checksum mismatch`) }),
    ]);
    expect(await store.list()).toEqual(['counter']);
  });

  it('still falls back to the previous generation when onCorruptFile throws, and logs the callback\'s error', async () => {
    const { fs, open, logger } = setup();
    const store = open();
    await store.save(snap('counter', 1));
    await store.save(snap('counter', 2));
    fs.writeFileSync(`${DIR}/counter.2.snap`, 'junk');
    const throwing = new FileSnapshotStore({
      dir: DIR,
      fs,
      logger,
      onCorruptFile: () => {
        throw new Error('alerting is down');
      },
    });
    expect(await throwing.load('counter')).toEqual(snap('counter', 1));
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('onCorruptFile threw: alerting is down') }));
  });

  it('detects a truncated file and a foreign file the same way', async () => {
    const { store, fs, corrupt } = setup();
    await store.save(snap('counter', 1));
    await store.save(snap('counter', 2, 1000));
    const full = fs.readFileSync(`${DIR}/counter.2.snap`) as Buffer;
    fs.writeFileSync(`${DIR}/counter.2.snap`, full.subarray(0, 500));
    fs.writeFileSync(`${DIR}/counter.3.snap`, '{"count": 12}');
    expect(await store.load('counter')).toEqual(snap('counter', 1));
    expect(corrupt.map((c) => [c.path, c.reason])).toEqual([
      [`${DIR}/counter.3.snap`, 'not a Belfry snapshot file (magic bytes do not match)'],
      [`${DIR}/counter.2.snap`, 'truncated: 500 bytes where the header announces 1067'],
    ]);
  });

  it('refuses a valid envelope that belongs to another id', async () => {
    const { store, fs, corrupt } = setup();
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(`${DIR}/victim.1.snap`, encodeEnvelope(snap('intruder', 9), 0));
    expect(await store.load('victim')).toBeNull();
    expect(corrupt[0]).toMatchObject({ id: 'victim', reason: 'belongs to plugin "intruder", not "victim"' });
  });

  it('loads null when every generation is damaged, so the plugin keeps its default state, and saves again afterwards', async () => {
    const { store, fs, corrupt, open } = setup();
    await store.save(snap('counter', 1));
    await store.save(snap('counter', 2));
    fs.writeFileSync(`${DIR}/counter.1.snap`, 'x');
    fs.writeFileSync(`${DIR}/counter.2.snap`, 'y');
    const registry = new StatefulRegistry();
    const plugin = new CounterPlugin();
    registry.register(plugin);
    const orchestrator = new SnapshotOrchestrator({ registry, store: open(), logger: recordingLogger() });
    expect(await orchestrator.restoreAll()).toEqual([{ id: 'counter', status: 'missing' }]);
    expect(plugin.count).toBe(0);
    expect(corrupt).toHaveLength(2);
    await store.save(snap('counter', 3));
    expect(await store.load('counter')).toEqual(snap('counter', 3));
  });

  it('ignores temp files a crash left behind and removes them on the next save of that id', async () => {
    const { store, fs } = setup();
    await store.save(snap('counter', 1));
    fs.writeFileSync(`${DIR}/counter.2.snap.tmp-deadbeef0001`, 'BELFSNAP partial');
    fs.writeFileSync(`${DIR}/other.1.snap.tmp-deadbeef0002`, 'BELFSNAP partial');
    expect(await store.load('counter')).toEqual(snap('counter', 1));
    expect(await store.list()).toEqual(['counter']);
    await store.save(snap('counter', 2));
    expect(files(fs)).toEqual(['counter.1.snap', 'counter.2.snap', 'other.1.snap.tmp-deadbeef0002']);
  });

  it('ignores files it did not write: other names, quarantined files, non-canonical spellings', async () => {
    const { store, fs } = setup();
    fs.mkdirSync(DIR, { recursive: true });
    for (const name of ['README.md', 'counter.snap', 'x.1.snap.corrupt-1', '%61.1.snap', 'UPPER.1.snap', '.1.snap']) fs.writeFileSync(`${DIR}/${name}`, 'junk');
    expect(await store.list()).toEqual([]);
    expect(await store.load('a')).toBeNull();
  });

  it('never writes a generation it cannot read back, whatever generation numbers foreign files claim', async () => {
    const { store, fs } = setup();
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(`${DIR}/counter.999999999999999.snap`, 'junk');
    await store.save(snap('counter', 1));
    expect(await store.load('counter')).toEqual(snap('counter', 1));
    await store.save(snap('counter', 2));
    expect(await store.load('counter')).toEqual(snap('counter', 2));
    expect(await store.list()).toEqual(['counter']);
  });

  it('refuses to save rather than lose track of a snapshot when generation numbers run out', async () => {
    const { store, fs } = setup();
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(`${DIR}/counter.9007199254740991.snap`, encodeEnvelope(snap('counter', 1), 0));
    await expect(store.save(snap('counter', 2))).rejects.toMatchObject({
      code: 'snapshot_failed',
      message: expect.stringContaining(`generation numbers of "counter" are exhausted in ${DIR}`),
    });
    expect(await store.load('counter')).toEqual(snap('counter', 1));
  });

  it('reads only the canonical spelling of a generation number', async () => {
    const { store, fs } = setup();
    await store.save(snap('counter', 1));
    fs.writeFileSync(`${DIR}/counter.02.snap`, encodeEnvelope(snap('counter', 9), 0));
    expect(await store.load('counter')).toEqual(snap('counter', 1));
  });

  it('wraps a failed write in snapshot_failed naming the id and the folder', async () => {
    const { store, fs } = setup();
    fs.mkdirSync('/state', { recursive: true });
    fs.writeFileSync(DIR, 'a file where the folder should be');
    await expect(store.save(snap('counter', 1))).rejects.toMatchObject({
      code: 'snapshot_failed',
      message: expect.stringContaining(`Snapshot of plugin "counter" failed: could not write it to ${DIR}`),
    });
  });
});

describe('FileSnapshotStore on memfs: ids and options', () => {
  it('keeps registry-style ids readable and encodes everything else into safe file names', async () => {
    const { store, fs } = setup();
    const ids = ['scheduler.core', 'a/b', '..', 'Upper', 'per%cent', 'zähler'];
    for (const [i, id] of ids.entries()) await store.save(snap(id, i));
    expect(files(fs)).toEqual(['%2E..1.snap', '%55pper.1.snap', 'a%2Fb.1.snap', 'per%25cent.1.snap', 'scheduler.core.1.snap', 'z%C3%A4hler.1.snap']);
    expect(await store.list()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) expect(await store.load(id)).toEqual(snap(id, i));
  });

  it('rejects an id whose encoded file name would exceed 200 characters', async () => {
    const { store } = setup();
    await expect(store.save(snap('🔔'.repeat(20), 1))).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('encodes to a 240-character file name, over the 200-character limit'),
    });
    await expect(store.load('/'.repeat(70))).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it.each([
    [{ dir: '' }, 'options.dir must be a non-empty folder path, got ""'],
    [{ dir: 42 }, 'options.dir must be a non-empty folder path, got 42'],
    [{ dir: '/x', fs: {} }, 'options.fs must be an fs module with fs.promises'],
    [{ dir: '/x', generations: 0 }, 'options.generations must be an integer from 1 to 100, got 0'],
    [{ dir: '/x', onCorruptFile: 'log' }, 'options.onCorruptFile must be a function'],
    [{ dir: '/x', clock: {} }, 'options.clock must be a Clock { now, setTimer }, got an object'],
    [{ dir: '/x', logger: { warn: 'no' } }, 'options.logger must be a Logger { warn, error }, got an object'],
  ])('rejects options %j with invalid_argument', (options, message) => {
    expect(() => new FileSnapshotStore(options as never)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(message) }));
  });

  it('rejects a lone surrogate id, which has no file name', async () => {
    const { store } = setup();
    await expect(store.save(snap('bad\uD800', 1))).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('FileSnapshotStore on memfs: unreadable files', () => {
  /** memfs, except that reading the named files fails the way a bad disk sector does. */
  function withUnreadable(fs: SnapshotFs, unreadable: string[]): SnapshotFs {
    return {
      promises: {
        ...fs.promises,
        readFile: async (path) => {
          if (unreadable.includes(path)) throw Object.assign(new Error(`EIO: i/o error, open '${path}'`), { code: 'EIO' });
          return fs.promises.readFile(path);
        },
      },
    };
  }

  it('leaves an unreadable newest file in place, warns, and falls back to the previous generation', async () => {
    const { store, fs, logger, corrupt } = setup();
    await store.save(snap('job', 1));
    await store.save(snap('job', 2));
    const flaky = new FileSnapshotStore({ dir: DIR, fs: withUnreadable(fs as SnapshotFs, [`${DIR}/job.2.snap`]), logger });
    expect(await flaky.load('job')).toEqual(snap('job', 1));
    expect(files(fs)).toEqual(['job.1.snap', 'job.2.snap']);
    expect(corrupt).toEqual([]);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', message: expect.stringContaining(`Snapshot file ${DIR}/job.2.snap could not be read`) });
  });

  it('rejects with restore_failed when no generation can be read, rather than pretending nothing was saved', async () => {
    const { store, fs, logger } = setup();
    await store.save(snap('job', 1));
    const flaky = new FileSnapshotStore({ dir: DIR, fs: withUnreadable(fs as SnapshotFs, [`${DIR}/job.1.snap`]), logger });
    await expect(flaky.load('job')).rejects.toMatchObject({
      code: 'restore_failed',
      message: expect.stringContaining(`no snapshot file could be read (${DIR}/job.1.snap: EIO: i/o error`),
    });
  });
});
