import { readRegularFile } from '@belfry/internal';
import { decodeManifestBytes, type DecodedManifest } from './decode-manifest-bytes.js';
import { MAX_MANIFEST_LENGTH } from './limits.js';

/** A manifest file as read: its text, the problem that stops it being validated if any, and the bytes read. */
export interface ManifestFile extends DecodedManifest {
  bytesRead: number;
}

/**
 * Reads a plugin.toml from disk: refuses anything that is not a regular file
 * before reading a byte (a FIFO would block, `/dev/zero` never ends), reads
 * at most one byte more than `MAX_MANIFEST_LENGTH`, and decodes strictly as
 * UTF-8 (see decodeManifestBytes). Throws the system error of a file that
 * cannot be opened, or an Error saying what the path is instead of a file.
 */
export async function readManifestFile(path: string): Promise<ManifestFile> {
  const bytes = readRegularFile(path, MAX_MANIFEST_LENGTH);
  return { ...decodeManifestBytes(bytes), bytesRead: bytes.length };
}
