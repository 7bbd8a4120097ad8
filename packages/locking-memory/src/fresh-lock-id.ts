import { randomFillSync } from 'node:crypto';

/** Bytes in one lockId: 128 random bits. */
const ID_BYTES = 16;
/** Random bytes fetched at once: one call to the system's generator serves 256 lockIds. */
const POOL_BYTES = ID_BYTES * 256;

const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * A fresh 128-bit random lockId, as 32 hex digits. Refilling a pool of
 * random bytes now and then costs far less than asking for 16 bytes at each
 * acquisition, which dominated the cost of a lock when a burst takes many.
 */
export function freshLockId(): string {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
