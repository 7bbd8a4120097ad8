import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, ENVELOPE } from '../src/envelope-tools.js';

const snapshot = { id: 'counter', version: 513, bytes: new Uint8Array([10, 20, 30]) };
const createdAt = 1_700_000_000_123;

describe('snapshot file envelope', () => {
  it('lays out magic, format, id length, version, created-at, payload length, id, payload and SHA-256 as documented', () => {
    const file = encodeEnvelope(snapshot, createdAt);
    const view = new DataView(file.buffer);
    expect(Buffer.from(file.subarray(0, 8)).toString('ascii')).toBe('BELFSNAP');
    expect(view.getUint16(8)).toBe(1);
    expect(view.getUint16(10)).toBe(7);
    expect(view.getUint32(12)).toBe(513);
    expect(view.getBigUint64(16)).toBe(BigInt(createdAt));
    expect(view.getUint32(24)).toBe(3);
    expect(Buffer.from(file.subarray(28, 35)).toString('utf8')).toBe('counter');
    expect(Array.from(file.subarray(35, 38))).toEqual([10, 20, 30]);
    expect(file.length).toBe(28 + 7 + 3 + 32);
    expect(Buffer.from(file.subarray(38)).equals(createHash('sha256').update(file.subarray(0, 38)).digest())).toBe(true);
    expect(ENVELOPE.headerLength).toBe(28);
  });

  it('decodes what it encodes into a plain Uint8Array of its own', () => {
    const decoded = decodeEnvelope(Buffer.from(encodeEnvelope(snapshot, createdAt)));
    expect(decoded).toEqual({ ok: true, snapshot: { id: 'counter', version: 513, bytes: new Uint8Array([10, 20, 30]) }, createdAt });
    if (!decoded.ok) return;
    expect(Buffer.isBuffer(decoded.snapshot.bytes)).toBe(false);
    expect(decoded.snapshot.bytes.buffer.byteLength).toBe(3);
  });

  it('refuses every truncation of a file, down to zero bytes', () => {
    const file = encodeEnvelope(snapshot, createdAt);
    for (let length = 0; length < file.length; length += 1) {
      const decoded = decodeEnvelope(file.subarray(0, length));
      expect(decoded.ok, `truncated to ${length} bytes`).toBe(false);
    }
    expect(decodeEnvelope(file.subarray(0, 40))).toEqual({ ok: false, reason: 'truncated: 40 bytes, shorter than the 60-byte minimum' });
    expect(decodeEnvelope(file.subarray(0, 65))).toEqual({ ok: false, reason: 'truncated: 65 bytes where the header announces 70' });
  });

  it('refuses a file with any single bit flipped, header or payload or checksum', () => {
    const file = encodeEnvelope(snapshot, createdAt);
    for (let i = 0; i < file.length; i += 1) {
      for (const bit of [0x01, 0x80]) {
        const damaged = file.slice();
        damaged[i]! ^= bit;
        expect(decodeEnvelope(damaged).ok, `byte ${i} bit ${bit}`).toBe(false);
      }
    }
  });

  it('names what is wrong: foreign, unknown format, trailing bytes, checksum', () => {
    const file = encodeEnvelope(snapshot, createdAt);
    expect(decodeEnvelope(new TextEncoder().encode('{"count": 3}'))).toEqual({ ok: false, reason: 'not a Belfry snapshot file (magic bytes do not match)' });
    const future = file.slice();
    future[9] = 2;
    expect(decodeEnvelope(future)).toEqual({ ok: false, reason: 'unknown envelope format version 2' });
    expect(decodeEnvelope(new Uint8Array([...file, 0]))).toEqual({ ok: false, reason: 'has trailing bytes: 71 bytes where the header announces 70' });
    const flipped = file.slice();
    flipped[36]! ^= 1;
    expect(decodeEnvelope(flipped)).toEqual({ ok: false, reason: 'checksum mismatch (the file is corrupted)' });
  });

  it('round-trips an empty payload and a non-ASCII id', () => {
    const decoded = decodeEnvelope(encodeEnvelope({ id: 'zähler-🔔', version: 1, bytes: new Uint8Array() }, 0));
    expect(decoded).toMatchObject({ ok: true, snapshot: { id: 'zähler-🔔', version: 1, bytes: new Uint8Array() } });
  });
});

describe('snapshot file envelope arguments', () => {
  it('encodeEnvelope rejects a malformed snapshot or created-at with invalid_argument, naming the value', () => {
    expect(() => encodeEnvelope({ id: 'counter', version: -1, bytes: new Uint8Array() }, createdAt)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('version must be an integer from 1 to 4294967295, got -1') }),
    );
    expect(() => encodeEnvelope({ id: 'counter', version: 1, bytes: 'abc' as never }, createdAt)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => encodeEnvelope(snapshot, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('createdAt must be a time in ms since the Unix epoch, got NaN') }),
    );
  });

  it('decodeEnvelope rejects anything but bytes with invalid_argument', () => {
    expect(() => decodeEnvelope(null as never)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('file must be a Uint8Array, got null') }),
    );
  });
});
