import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BelfryError, InvalidArgumentError, type JsonValue } from '@belfry/plugin-api';
import { assertCursor, assertFence, assertJobId, describeValue, errorText } from '@belfry/internal';
import type { CursorSaveResult, CursorStore, StoredCursor } from '@belfry/plugin-api';

const FORMAT = 'belfry-cursor/1';
/** Errors that mean "this platform cannot fsync a folder", not "the data is at risk". */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF']);

/** Options of {@link FileCursorStore}. */
export interface FileCursorStoreOptions {
  /** Folder holding one `<job id>.cursor.json` per job; created on the first save. Required. */
  dir: string;
}

/**
 * Keeps each job's cursor in `<dir>/<job id>.cursor.json`. A save writes a
 * temp file, fsyncs it, renames it over the old one and fsyncs the folder,
 * so a crash leaves either the old cursor or the new one, never half of
 * one. Saves of one job run one at a time in this instance; one process
 * should own a folder (on a cluster, use a shared store).
 */
export class FileCursorStore implements CursorStore {
  readonly dir: string;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FileCursorStoreOptions) {
    if (typeof options !== 'object' || options === null || typeof options.dir !== 'string' || options.dir === '') {
      throw new InvalidArgumentError(`FileCursorStore: options.dir must be a non-empty folder path, got ${describeValue((options as { dir?: unknown } | null)?.dir ?? options)}`);
    }
    this.dir = options.dir;
  }

  async load(jobId: string): Promise<StoredCursor | null> {
    assertJobId(jobId, 'FileCursorStore.load');
    return this.#exclusive(jobId, () => this.#read(jobId));
  }

  async save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult> {
    assertJobId(jobId, 'FileCursorStore.save');
    assertCursor(cursor, 'FileCursorStore.save');
    assertFence(fence, 'FileCursorStore.save');
    // Serialised now, so a caller that changes its object afterwards cannot change a queued save.
    const text = `${JSON.stringify({ format: FORMAT, job: jobId, fence, cursor })}\n`;
    return this.#exclusive(jobId, async () => {
      const stored = await this.#read(jobId);
      if (stored !== null && fence < stored.fence) return 'stale';
      await this.#write(jobId, text);
      return 'saved';
    });
  }

  #path(jobId: string): string {
    return join(this.dir, `${jobId}.cursor.json`);
  }

  async #read(jobId: string): Promise<StoredCursor | null> {
    const path = this.#path(jobId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw new BelfryError('cursor_store', `FileCursorStore: cannot read ${path}: ${errorText(error)}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const file = parsed as { format?: unknown; job?: unknown; fence?: unknown; cursor?: unknown } | null;
    if (file === null || typeof file !== 'object' || file.format !== FORMAT || file.job !== jobId || !Number.isSafeInteger(file.fence) || !('cursor' in file)) {
      throw new BelfryError('cursor_store', `FileCursorStore: ${path} is not a cursor file of job ${JSON.stringify(jobId)}; move it aside to restart the job from no cursor, or restore it from a backup`);
    }
    return { cursor: file.cursor as JsonValue, fence: file.fence as number };
  }

  async #write(jobId: string, text: string): Promise<void> {
    const path = this.#path(jobId);
    const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
      await this.#syncDir();
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new BelfryError('cursor_store', `FileCursorStore: cannot save the cursor of job ${JSON.stringify(jobId)} in ${this.dir}: ${errorText(error)}`, { cause: error });
    }
  }

  /** Makes the rename durable: without it a power cut can bring back the old file. */
  async #syncDir(): Promise<void> {
    let handle;
    try {
      handle = await open(this.dir, 'r');
      await handle.sync();
    } catch (error) {
      if (!DIR_SYNC_UNSUPPORTED.has(String((error as { code?: unknown }).code))) throw error;
    } finally {
      await handle?.close();
    }
  }

  #exclusive<T>(jobId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(jobId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(jobId, tail);
    void tail.then(() => {
      if (this.#queues.get(jobId) === tail) this.#queues.delete(jobId);
    });
    return run;
  }
}
