import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Thrown for a path that is a folder, a named pipe, a device or a socket; `kind` says which. */
export class NotARegularFileError extends Error {
  /** e.g. `a named pipe (FIFO)`. */
  readonly kind: string;

  constructor(kind: string) {
    super(`${kind}, not a regular file`);
    this.name = 'NotARegularFileError';
    this.kind = kind;
  }
}

/*
 * Opening a FIFO for reading waits for a writer, forever if none comes;
 * with O_NONBLOCK the open returns at once and fstat can refuse it.
 * O_NONBLOCK does not change reads of a regular file. Windows has neither.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file that must be a regular file, refusing anything else before
 * a byte is read (a named pipe would block, `/dev/zero` never ends), and
 * reading at most `maxBytes + 1` bytes whatever size the file claims: a
 * result longer than `maxBytes` means the file is over the limit. Throws
 * the system error of a path that cannot be opened.
 */
export function readRegularFile(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotARegularFileError(kindOf(stats));
    const chunks: Buffer[] = [];
    let length = 0;
    // The first read asks for the whole file plus a byte, so it usually ends in one call.
    let wanted = Math.min(stats.size, maxBytes) + 1;
    while (length <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(wanted, maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      wanted = 64 * 1024;
    }
    return Buffer.concat(chunks, length);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
