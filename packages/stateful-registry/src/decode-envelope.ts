import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError, type StatefulSnapshot } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { ENVELOPE } from './envelope.js';

/** An intact envelope, or why the bytes are not one. */
export type DecodedEnvelope =
  | { ok: true; snapshot: StatefulSnapshot; createdAt: number }
  | { ok: false; reason: string };

/**
 * Checks and unwraps a snapshot file. Every way a file can be wrong — foreign,
 * truncated, extended, bit-flipped — yields `ok: false` with a reason; it never throws
 * for bytes (anything else is `invalid_argument`).
 */
export function decodeEnvelope(file: Uint8Array): DecodedEnvelope {
  if (!(file instanceof Uint8Array)) throw new InvalidArgumentError(`decodeEnvelope: file must be a Uint8Array, got ${describeValue(file)}`);
  const minimum = ENVELOPE.headerLength + ENVELOPE.checksumLength;
  if (file.length < ENVELOPE.magic.length || !ENVELOPE.magic.every((byte, i) => file[i] === byte)) {
    return { ok: false, reason: 'not a Belfry snapshot file (magic bytes do not match)' };
  }
  if (file.length < minimum) return { ok: false, reason: `truncated: ${file.length} bytes, shorter than the ${minimum}-byte minimum` };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const format = view.getUint16(8);
  if (format !== ENVELOPE.formatVersion) return { ok: false, reason: `unknown envelope format version ${format}` };
  const idLength = view.getUint16(10);
  const version = view.getUint32(12);
  const createdAt = Number(view.getBigUint64(16));
  const payloadLength = view.getUint32(24);
  const bodyLength = ENVELOPE.headerLength + idLength + payloadLength;
  const expected = bodyLength + ENVELOPE.checksumLength;
  if (file.length !== expected) {
    const what = file.length < expected ? 'truncated' : 'has trailing bytes';
    return { ok: false, reason: `${what}: ${file.length} bytes where the header announces ${expected}` };
  }
  const digest = createHash('sha256').update(file.subarray(0, bodyLength)).digest();
  if (!timingSafeEqual(digest, file.subarray(bodyLength))) return { ok: false, reason: 'checksum mismatch (the file is corrupted)' };
  if (version < 1) return { ok: false, reason: 'snapshot version 0 is not valid' };
  const id = Buffer.from(file.buffer, file.byteOffset + ENVELOPE.headerLength, idLength).toString('utf8');
  // A copy in a plain Uint8Array: never a Buffer view over the whole file.
  const bytes = new Uint8Array(file.subarray(ENVELOPE.headerLength + idLength, bodyLength));
  return { ok: true, snapshot: { id, version, bytes }, createdAt };
}
