import { InvalidArgumentError } from '@belfry/plugin-api';

/** Longest encoded id the file store accepts; leaves room for the generation and suffixes within 255 bytes. */
const MAX_ENCODED_ID_LENGTH = 200;

const SAFE = /[a-z0-9_.-]/;

/**
 * Maps a snapshot id to the stem of its file names. Lower-case letters, digits,
 * `_`, `.` and `-` stay as they are (so registry ids are readable on disk);
 * every other character, and a leading `.`, becomes `%XX` per UTF-8 byte.
 * Upper-case letters are encoded too, so ids differing by case stay distinct
 * on case-insensitive file systems, and `/`, `\` or `..` never reach a path.
 */
export function encodeFileName(id: string): string {
  let out = '';
  for (const char of id) {
    if (SAFE.test(char) && !(out.length === 0 && char === '.')) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length > MAX_ENCODED_ID_LENGTH) {
    throw new InvalidArgumentError(
      `FileSnapshotStore: snapshot id ${JSON.stringify(id.slice(0, 40))}… encodes to a ${out.length}-character file name, over the ${MAX_ENCODED_ID_LENGTH}-character limit; use a shorter id or fewer non [a-z0-9_.-] characters`,
    );
  }
  return out;
}
