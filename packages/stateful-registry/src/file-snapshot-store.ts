import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { InvalidArgumentError, RestoreFailedError, SnapshotFailedError, systemClock, type Clock, type Logger, type StatefulSnapshot } from '@belfry/plugin-api';
import { assertSnapshot, assertSnapshotId, describeValue } from '@belfry/internal';
import type { CorruptSnapshotFile } from './corrupt-snapshot-file.js';
import { decodeEnvelope } from './decode-envelope.js';
import { DurableFolder } from './durable-folder.js';
import { encodeEnvelope } from './encode-envelope.js';
import { encodeFileName } from './encode-file-name.js';
import { parseFileName } from './parse-file-name.js';
import type { SnapshotFs } from './snapshot-fs.js';
import type { SnapshotStore } from './snapshot-store.js';
import { codeOf, messageOf } from './error-details.js';

/** Options of {@link FileSnapshotStore}. */
export interface FileSnapshotStoreOptions {
  /** Folder that holds the snapshot files; created (with parents) on the first save. Required. */
  dir: string;
  /** File system to use. Default: `node:fs`. Tests inject memfs. */
  fs?: SnapshotFs;
  /** Source of the created-at stamp in each file and of quarantine names. Default: `systemClock`. */
  clock?: Clock;
  /** Receives a warning for every corrupt or unreadable file. Default: `console`. */
  logger?: Logger;
  /** Called for every corrupt file, after it was moved aside. Default: none. */
  onCorruptFile?: (file: CorruptSnapshotFile) => void;
  /**
   * How many generations to keep per id: the newest plus this many minus one older
   * ones to fall back on when the newest is damaged. Integer 1–100. Default: 2.
   */
  generations?: number;
}

const TEMP_FILE = /^(.+)\.\d+\.snap\.tmp-[0-9a-f]+$/;

/**
 * Keeps each snapshot in its own checksummed file (format in the README) inside `dir`.
 *
 * A save writes a temp file in the same folder, fsyncs it, renames it to the next
 * generation's name and fsyncs the folder; only then are generations beyond
 * `generations` removed, so the previous good state survives a crash at any point.
 * A load checks the newest generation and falls back to older ones; any file that
 * is truncated, corrupted or foreign is reported, moved aside as
 * `<name>.corrupt-<ms>` and never returned. Operations on one id run one at a time
 * within this instance; one process should own a folder.
 */
export class FileSnapshotStore implements SnapshotStore {
  readonly dir: string;
  readonly #fs: SnapshotFs['promises'];
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onCorruptFile: ((file: CorruptSnapshotFile) => void) | undefined;
  readonly #generations: number;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #folder: DurableFolder;

  constructor(options: FileSnapshotStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`FileSnapshotStore: options must be an object { dir, fs?, … }, got ${describeValue(options)}`);
    }
    const { dir, fs = nodeFs as SnapshotFs, clock = systemClock, logger = console, onCorruptFile, generations = 2 } = options;
    if (typeof dir !== 'string' || dir.length === 0) {
      throw new InvalidArgumentError(`FileSnapshotStore: options.dir must be a non-empty folder path, got ${describeValue(dir)}`);
    }
    if (typeof fs !== 'object' || fs === null || typeof fs.promises?.open !== 'function') {
      throw new InvalidArgumentError(`FileSnapshotStore: options.fs must be an fs module with fs.promises (node:fs or memfs), got ${describeValue(fs)}`);
    }
    if (!Number.isInteger(generations) || generations < 1 || generations > 100) {
      throw new InvalidArgumentError(`FileSnapshotStore: options.generations must be an integer from 1 to 100, got ${describeValue(generations)}`);
    }
    if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError(`FileSnapshotStore: options.clock must be a Clock { now, setTimer }, got ${describeValue(clock)}`);
    }
    if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function') {
      throw new InvalidArgumentError(`FileSnapshotStore: options.logger must be a Logger { warn, error }, got ${describeValue(logger)}`);
    }
    if (onCorruptFile !== undefined && typeof onCorruptFile !== 'function') {
      throw new InvalidArgumentError(`FileSnapshotStore: options.onCorruptFile must be a function, got ${describeValue(onCorruptFile)}`);
    }
    this.dir = dir;
    this.#fs = fs.promises;
    this.#folder = new DurableFolder(fs.promises, dir);
    this.#clock = clock;
    this.#logger = logger;
    this.#onCorruptFile = onCorruptFile;
    this.#generations = generations;
  }

  save(snapshot: StatefulSnapshot): Promise<void> {
    let stem: string;
    let data: Uint8Array;
    try {
      assertSnapshot(snapshot, 'FileSnapshotStore.save');
      stem = encodeFileName(snapshot.id);
      // Encoding now copies the bytes, so a caller that reuses its array cannot change a queued save.
      data = encodeEnvelope(snapshot, this.#clock.now());
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(snapshot.id, () => this.#save(snapshot.id, stem, data));
  }

  load(id: string): Promise<StatefulSnapshot | null> {
    try {
      assertSnapshotId(id, 'FileSnapshotStore.load');
      encodeFileName(id);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(id, () => this.#load(id));
  }

  delete(id: string): Promise<void> {
    try {
      assertSnapshotId(id, 'FileSnapshotStore.delete');
      encodeFileName(id);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(id, () => this.#delete(id));
  }

  async list(): Promise<string[]> {
    const ids = new Set<string>();
    for (const name of await this.#folder.list()) {
      const parsed = parseFileName(name);
      if (parsed !== null) ids.add(parsed.id);
    }
    return [...ids].sort();
  }

  async #save(id: string, stem: string, data: Uint8Array): Promise<void> {
    try {
      const names = await this.#folder.listCreating();
      await this.#removeTempFiles(stem, names);
      const older = this.#generationsOf(stem, names);
      const next = (older.at(-1) ?? 0) + 1;
      // A name load cannot parse would be a save that is never read back.
      if (!Number.isSafeInteger(next)) {
        throw new Error(`generation numbers of ${JSON.stringify(id)} are exhausted in ${this.dir}; move ${this.#folder.path(`${stem}.${older.at(-1)}.snap`)} out of the folder`);
      }
      const finalPath = this.#folder.path(`${stem}.${next}.snap`);
      const tempPath = `${finalPath}.tmp-${randomBytes(6).toString('hex')}`;
      await this.#folder.writeDurably(tempPath, data);
      await this.#fs.rename(tempPath, finalPath);
      await this.#folder.sync();
      // The new generation is durable: only now may the oldest ones go.
      for (const generation of older.slice(0, Math.max(0, older.length - (this.#generations - 1)))) {
        await this.#folder.unlinkIfPresent(this.#folder.path(`${stem}.${generation}.snap`));
      }
    } catch (error) {
      throw new SnapshotFailedError(id, `could not write it to ${this.dir}: ${messageOf(error)}`, { cause: error });
    }
  }

  async #load(id: string): Promise<StatefulSnapshot | null> {
    const stem = encodeFileName(id);
    const unreadable: string[] = [];
    let names: string[];
    try {
      names = await this.#folder.list();
    } catch (error) {
      throw new RestoreFailedError(id, `could not list ${this.dir}: ${messageOf(error)}`, { cause: error });
    }
    for (const generation of this.#generationsOf(stem, names).reverse()) {
      const path = this.#folder.path(`${stem}.${generation}.snap`);
      let file: Uint8Array;
      try {
        const read = await this.#fs.readFile(path);
        file = typeof read === 'string' ? Buffer.from(read, 'utf8') : read;
      } catch (error) {
        if (codeOf(error) === 'ENOENT') continue;
        // Unreadable is not corrupt: leave the file where it is, fall back, and say so.
        unreadable.push(`${path}: ${messageOf(error)}`);
        this.#logger.warn(`Snapshot file ${path} could not be read; trying an older generation`, { id, path, error: messageOf(error) });
        continue;
      }
      const decoded = decodeEnvelope(file);
      if (decoded.ok && decoded.snapshot.id === id) return decoded.snapshot;
      const reason = decoded.ok ? `belongs to plugin ${JSON.stringify(decoded.snapshot.id)}, not ${JSON.stringify(id)}` : decoded.reason;
      await this.#quarantine(id, path, reason);
    }
    if (unreadable.length > 0) throw new RestoreFailedError(id, `no snapshot file could be read (${unreadable.join('; ')})`);
    return null;
  }

  async #delete(id: string): Promise<void> {
    const stem = encodeFileName(id);
    try {
      const names = await this.#folder.list();
      await this.#removeTempFiles(stem, names);
      for (const generation of this.#generationsOf(stem, names)) await this.#folder.unlinkIfPresent(this.#folder.path(`${stem}.${generation}.snap`));
      if (names.length > 0) await this.#folder.sync();
    } catch (error) {
      throw new SnapshotFailedError(id, `could not delete it from ${this.dir}: ${messageOf(error)}`, { cause: error });
    }
  }

  async #quarantine(id: string, path: string, reason: string): Promise<void> {
    let movedTo: string | null = `${path}.corrupt-${this.#clock.now()}`;
    try {
      await this.#fs.rename(path, movedTo);
    } catch (error) {
      this.#logger.error(`Corrupt snapshot file ${path} could not be moved aside: ${messageOf(error)}`, { id, path });
      movedTo = null;
    }
    const file: CorruptSnapshotFile = { id, path, movedTo, reason };
    this.#logger.warn(`Snapshot file ${path} is unusable (${reason}); moved to ${movedTo ?? '(not moved)'} and skipped`, { ...file });
    try {
      this.#onCorruptFile?.(file);
    } catch (error) {
      // A failing report must not cost the plugin the older generation the load falls back to.
      this.#logger.error(`FileSnapshotStore: onCorruptFile threw: ${messageOf(error)}`, { id, path });
    }
  }

  async #removeTempFiles(stem: string, names: string[]): Promise<void> {
    for (const name of names) {
      if (TEMP_FILE.exec(name)?.[1] === stem) await this.#folder.unlinkIfPresent(this.#folder.path(name));
    }
  }

  #generationsOf(stem: string, names: string[]): number[] {
    const generations: number[] = [];
    for (const name of names) {
      const parsed = parseFileName(name);
      if (parsed !== null && parsed.stem === stem) generations.push(parsed.generation);
    }
    return generations.sort((a, b) => a - b);
  }

  #exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(id, tail);
    void tail.then(() => {
      if (this.#queues.get(id) === tail) this.#queues.delete(id);
    });
    return run;
  }
}
