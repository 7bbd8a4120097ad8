import { randomBytes } from 'node:crypto';

const TOKEN_BYTES = 16;
/** Random bytes drawn at once and handed out a token at a time: one system call per 256 tokens instead of one each. */
const BATCH_BYTES = TOKEN_BYTES * 256;
let batch = Buffer.alloc(0);
let offset = 0;

/** 128 random bits as 32 lowercase hex digits: the lock id of a handle. */
export function randomToken(): string {
  if (offset + TOKEN_BYTES > batch.length) {
    batch = randomBytes(BATCH_BYTES);
    offset = 0;
  }
  const token = batch.toString('hex', offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
}
