import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { decodeManifestBytes, type DecodedManifest } from './decode-manifest-bytes.js';
import { MAX_MANIFEST_LENGTH } from './limits.js';

/** A manifest file as read: its text, the problem that stops it being validated if any, and the bytes read. */
export interface ManifestFile extends DecodedManifest {
  bytesRead: number;
}

/*
 * Opening a FIFO for reading waits for a writer, forever if none comes;
 * with O_NONBLOCK the open returns at once and fstat can refuse it.
 * O_NONBLOCK does not change reads of a regular file. Windows has neither.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a plugin.toml from disk: refuses anything that is not a regular file
 * before reading a byte (a FIFO would block, `/dev/zero` never ends), reads
 * at most one byte more than `MAX_MANIFEST_LENGTH`, and decodes strictly as
 * UTF-8 (see decodeManifestBytes). Throws the system error of a file that
 * cannot be opened, or an Error saying what the path is instead of a file.
 */
export async function readManifestFile(path: string): Promise<ManifestFile> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`${typeOf(stats)}, not a regular file`);
    const chunks: Uint8Array[] = [];
    let bytesRead = 0;
    // The first read asks for the whole file plus a byte, so it usually ends in one call.
    let wanted = stats.size + 1;
    while (bytesRead <= MAX_MANIFEST_LENGTH) {
      const chunk = Buffer.allocUnsafe(Math.min(wanted, MAX_MANIFEST_LENGTH + 1 - bytesRead));
      const { bytesRead: got } = await handle.read(chunk, 0, chunk.length, null);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      bytesRead += got;
      wanted = 64 * 1024;
    }
    return { ...decodeManifestBytes(Buffer.concat(chunks, bytesRead)), bytesRead };
  } finally {
    await handle.close();
  }
}

function typeOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
