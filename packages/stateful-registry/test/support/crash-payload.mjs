// The payload the crash writer saves as step `seq`: its length, version and every
// byte follow from `seq`, so a reader can tell a whole snapshot from a mix of two.

/** @param {number} seq */
export function payloadFor(seq) {
  const length = 64 * 1024 + (seq % 13) * 4099;
  const bytes = new Uint8Array(length);
  new DataView(bytes.buffer).setFloat64(0, seq);
  for (let i = 8; i < length; i += 1) bytes[i] = (seq * 31 + i) & 0xff;
  return { id: 'crash', version: 1 + (seq % 3), bytes };
}

/**
 * The step a loaded snapshot belongs to, or a description of how it is broken.
 * @param {{ id: string, version: number, bytes: Uint8Array }} snapshot
 */
export function stepOf(snapshot) {
  if (snapshot.bytes.length < 8) return { broken: `only ${snapshot.bytes.length} bytes` };
  const seq = new DataView(snapshot.bytes.buffer, snapshot.bytes.byteOffset, 8).getFloat64(0);
  const expected = payloadFor(seq);
  if (snapshot.version !== expected.version) return { broken: `step ${seq} with version ${snapshot.version}, expected ${expected.version}` };
  if (snapshot.bytes.length !== expected.bytes.length) return { broken: `step ${seq} with ${snapshot.bytes.length} bytes, expected ${expected.bytes.length}` };
  for (let i = 8; i < expected.bytes.length; i += 1) {
    if (snapshot.bytes[i] !== expected.bytes[i]) return { broken: `step ${seq} differs at byte ${i}` };
  }
  return { seq };
}
