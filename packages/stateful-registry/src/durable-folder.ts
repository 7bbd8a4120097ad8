import { dirname, join, resolve } from 'node:path';
import { codeOf } from './error-details.js';
import type { SnapshotFs } from './snapshot-fs.js';

/** Errors that mean "this platform cannot fsync a directory", not "the data is at risk". */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF']);

/**
 * One folder's file operations, made durable: writes reach the disk before
 * they are renamed into place, renames and new folders are flushed into
 * their parent, and a missing folder or file is not an error where the
 * caller does not care.
 */
export class DurableFolder {
  readonly dir: string;
  readonly fs: SnapshotFs['promises'];

  constructor(fs: SnapshotFs['promises'], dir: string) {
    this.fs = fs;
    this.dir = dir;
  }

  async writeDurably(path: string, data: Uint8Array): Promise<void> {
    const handle = await this.fs.open(path, 'wx');
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset, offset);
        offset += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      await handle.close().catch(() => {});
      await this.unlinkIfPresent(path).catch(() => {});
      throw error;
    }
    await handle.close();
  }

  /** Makes the rename itself durable: without it, a power cut can bring back the old directory entry. */
  async sync(dir = this.dir): Promise<void> {
    let handle;
    try {
      handle = await this.fs.open(dir, 'r');
      await (handle.sync === undefined ? handle.datasync() : handle.sync());
    } catch (error) {
      if (!DIR_SYNC_UNSUPPORTED.has(codeOf(error) ?? '')) throw error;
    } finally {
      await handle?.close();
    }
  }

  async list(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.dir)).map(String);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return [];
      throw error;
    }
  }

  /** Lists the folder, creating it first if it does not exist (yet, or any more). */
  async listCreating(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.dir)).map(String);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
      const first = await this.fs.mkdir(this.dir, { recursive: true });
      await this.#syncNewFolders(typeof first === 'string' ? first : this.dir);
      return [];
    }
  }

  /**
   * A new folder survives a power cut only once its name is durable in its parent:
   * flushes the parent of every folder from `first` (the topmost one mkdir created) down to `dir`.
   */
  async #syncNewFolders(first: string): Promise<void> {
    const top = resolve(first);
    const parents: string[] = [];
    for (let created = resolve(this.dir); ; created = dirname(created)) {
      parents.unshift(dirname(created));
      if (created === top || dirname(created) === created) break;
    }
    for (const parent of parents) {
      // Creating a folder needs write access to its parent, not read access: one we may not open cannot be flushed.
      await this.sync(parent).catch((error: unknown) => {
        if (codeOf(error) !== 'EACCES') throw error;
      });
    }
  }

  async unlinkIfPresent(path: string): Promise<void> {
    try {
      await this.fs.unlink(path);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
    }
  }

  path(name: string): string {
    return join(this.dir, name);
  }
}
