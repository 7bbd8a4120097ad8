import { createHash } from 'node:crypto';

/**
 * SHA-256 over a snapshot's id, version and bytes, as a server-side store
 * keeps it beside the payload: a record changed by hand, cut short, or
 * copied under another id no longer matches and is never loaded as state.
 */
export function snapshotChecksum(id: string, version: number, bytes: Uint8Array): Buffer {
  const name = Buffer.from(id, 'utf8');
  // Lengths first, so no two (id, version, bytes) triples hash the same input.
  const header = Buffer.alloc(8);
  header.writeUInt32BE(name.length, 0);
  header.writeUInt32BE(version, 4);
  return createHash('sha256').update(header).update(name).update(bytes).digest();
}
