import { firstInvalidUtf8, NotARegularFileError, readRegularFile } from '@belfry/internal';
import { HostConfigError } from './host-errors.js';

/** Larger than any real settings file; a bigger one is a wrong path, not settings. */
const MAX_SETTINGS_BYTES = 1024 * 1024;
const FIX = 'Fix: point at a belfry.config.toml file';

/**
 * Reads a settings file as strict UTF-8. Anything but a regular file is
 * refused before a byte is read (a named pipe would block the host forever,
 * `/dev/zero` would fill its memory), and reading stops one byte past
 * MAX_SETTINGS_BYTES whatever the file claims its size is.
 */
export function readSettingsFile(file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(file, MAX_SETTINGS_BYTES);
  } catch (error) {
    if (error instanceof NotARegularFileError) throw new HostConfigError(`${file}: is ${error.kind}, not a settings file. ${FIX}`);
    throw new HostConfigError(`${file}: cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: check the path and its permissions`);
  }
  if (bytes.length > MAX_SETTINGS_BYTES) {
    throw new HostConfigError(`${file}: larger than ${MAX_SETTINGS_BYTES / 1024 / 1024} MiB, far more than any settings file. ${FIX}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const { offset } = firstInvalidUtf8(bytes);
    const before = new TextDecoder().decode(bytes.subarray(0, offset));
    const line = before.split('\n').length;
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    const byte = bytes[offset]!.toString(16).padStart(2, '0');
    throw new HostConfigError(`${file}:${line}:${column}: not valid UTF-8 (byte 0x${byte} at offset ${offset}). Fix: save the file as UTF-8`);
  }
}
