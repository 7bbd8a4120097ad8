/** The part of an open file the file store uses. */
export interface SnapshotFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  /** fdatasync: flushes the contents and the size, which is all a new file needs. */
  datasync(): Promise<void>;
  /** fsync; used for folders, where it is the documented way to persist a rename. Falls back to `datasync`. */
  sync?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The part of Node's `fs` module the file store uses. `node:fs` fits, and so
 * does memfs (`createFsFromVolume(vol)`), which the tests inject.
 */
export interface SnapshotFs {
  promises: {
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    /** Entry names; anything else is converted with `String`. */
    readdir(path: string): Promise<unknown[]>;
    /** The whole file; a string result is taken as UTF-8. */
    readFile(path: string): Promise<Uint8Array | string>;
    open(path: string, flags: string): Promise<SnapshotFileHandle>;
    rename(from: string, to: string): Promise<void>;
    unlink(path: string): Promise<void>;
  };
}
