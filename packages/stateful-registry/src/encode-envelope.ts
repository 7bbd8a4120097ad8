import { createHash } from 'node:crypto';
import { InvalidArgumentError, type StatefulSnapshot } from '@belfry/plugin-api';
import { assertSnapshot, describeValue } from '@belfry/internal';
import { ENVELOPE } from './envelope.js';

/** Wraps a snapshot in the file envelope described in envelope.ts. Throws `invalid_argument` for a malformed snapshot or created-at. */
export function encodeEnvelope(snapshot: StatefulSnapshot, createdAt: number): Uint8Array {
  assertSnapshot(snapshot, 'encodeEnvelope');
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) {
    throw new InvalidArgumentError(`encodeEnvelope: createdAt must be a time in ms since the Unix epoch, got ${describeValue(createdAt)}`);
  }
  const id = Buffer.from(snapshot.id, 'utf8');
  const bodyLength = ENVELOPE.headerLength + id.length + snapshot.bytes.length;
  const out = new Uint8Array(bodyLength + ENVELOPE.checksumLength);
  const view = new DataView(out.buffer);
  out.set(ENVELOPE.magic, 0);
  view.setUint16(8, ENVELOPE.formatVersion);
  view.setUint16(10, id.length);
  view.setUint32(12, snapshot.version);
  view.setBigUint64(16, BigInt(Math.max(0, Math.trunc(createdAt))));
  view.setUint32(24, snapshot.bytes.length);
  out.set(id, ENVELOPE.headerLength);
  out.set(snapshot.bytes, ENVELOPE.headerLength + id.length);
  out.set(createHash('sha256').update(out.subarray(0, bodyLength)).digest(), bodyLength);
  return out;
}
