/**
 * Byte layout of a snapshot file (all integers big-endian):
 *
 * | offset      | size | field                                              |
 * | ----------- | ---- | -------------------------------------------------- |
 * | 0           | 8    | magic `BELFSNAP` (ASCII)                           |
 * | 8           | 2    | envelope format version, u16 (currently 1)         |
 * | 10          | 2    | plugin id length in bytes, u16 (`N`)               |
 * | 12          | 4    | plugin snapshot version, u32                       |
 * | 16          | 8    | created-at, u64, ms since the Unix epoch           |
 * | 24          | 4    | payload length in bytes, u32 (`L`)                 |
 * | 28          | N    | plugin id, UTF-8                                   |
 * | 28 + N      | L    | payload (the plugin's bytes)                       |
 * | 28 + N + L  | 32   | SHA-256 of bytes 0 … 28 + N + L − 1                |
 *
 * The checksum covers the header too, so a flipped bit anywhere is caught.
 */
export const ENVELOPE = {
  magic: new Uint8Array([0x42, 0x45, 0x4c, 0x46, 0x53, 0x4e, 0x41, 0x50]),
  formatVersion: 1,
  headerLength: 28,
  checksumLength: 32,
  maxPayloadLength: 0xffff_ffff,
  maxIdLength: 0xffff,
} as const;
