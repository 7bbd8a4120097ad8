import { randomFillSync } from 'node:crypto';

const TOKEN_BYTES = 16;

/** Length of every token, in characters. */
export const TOKEN_LENGTH = TOKEN_BYTES * 2;
const pool = Buffer.alloc(TOKEN_BYTES * 256);
let offset = pool.length;

/**
 * A lock token: 128 bits from the system CSPRNG, as 32 hex characters.
 * Bytes are drawn from a pool refilled 4 KiB at a time, since one
 * `randomBytes` call per lock costs more than the rest of building it.
 */
export function mintToken(): string {
  if (offset + TOKEN_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('hex', offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
}
