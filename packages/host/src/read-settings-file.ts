import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { HostConfigError } from './host-errors.js';

/** Larger than any real settings file; a bigger one is a wrong path, not settings. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a settings file as strict UTF-8. Anything but a regular file is
 * refused before a byte is read (a named pipe would block the host forever,
 * `/dev/zero` would fill its memory), and reading stops at
 * MAX_SETTINGS_BYTES whatever the file claims its size is.
 */
export function readSettingsFile(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a named pipe with no writer must not wait for one.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new HostConfigError(`${file}: cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: check the path and its permissions`);
  }
  let bytes: Buffer;
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new HostConfigError(`${file}: is ${kindOf(stats)}, not a settings file. Fix: point at a belfry.config.toml file`);
    }
    bytes = Buffer.alloc(MAX_SETTINGS_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_SETTINGS_BYTES) {
        throw new HostConfigError(`${file}: larger than ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB, far more than any settings file. Fix: point at a belfry.config.toml file`);
      }
    }
    bytes = bytes.subarray(0, length);
  } finally {
    closeSync(fd);
  }
  return decodeUtf8(file, bytes);
}

function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const before = validPrefix(bytes);
    const offset = Buffer.byteLength(before);
    const line = before.split('\n').length;
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    const byte = bytes[offset]!.toString(16).padStart(2, '0');
    throw new HostConfigError(`${file}:${line}:${column}: not valid UTF-8 (byte 0x${byte} at offset ${offset}). Fix: save the file as UTF-8`);
  }
}

/**
 * The text before the first byte that is not valid UTF-8. A streaming
 * decode accepts a sequence cut off at the end, so whether a prefix decodes
 * is monotonic in its length: a binary search finds the shortest prefix that
 * fails, and what decodes before it ends where the bad sequence starts.
 */
function validPrefix(bytes: Uint8Array): string {
  const decode = (length: number): string | undefined => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
    } catch {
      return undefined;
    }
  };
  let good = 0;
  let bad = bytes.length + 1;
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (decode(middle) === undefined) bad = middle;
    else good = middle;
  }
  return decode(bad - 1)!;
}
