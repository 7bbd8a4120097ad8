import { createHash } from 'node:crypto';

/**
 * The 64-bit advisory lock id advisory mode uses for `key` (prefix
 * included): the first 8 bytes of SHA-256 of its UTF-8 bytes, as a signed
 * bigint in decimal, the form `pg_try_advisory_lock(bigint)` takes. Stable
 * across processes, versions and platforms. Two keys share an id with
 * probability 2⁻⁶⁴; a collision only makes them contend, it never lets two
 * holders in.
 */
export function advisoryKey(key: string): string {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}
