import { encodeFileName } from './encode-file-name.js';

/** What a snapshot file's name says: whose it is and which generation. */
export interface ParsedFileName {
  id: string;
  stem: string;
  generation: number;
}

const SNAPSHOT_FILE = /^([a-z0-9_.%A-F-]+)\.([1-9]\d*)\.snap$/;

/**
 * Reads `<stem>.<generation>.snap` back into an id. Temp files, quarantined
 * files, non-canonical spellings and anything else in the folder yield `null`, so they are never
 * mistaken for a snapshot.
 */
export function parseFileName(name: string): ParsedFileName | null {
  const match = SNAPSHOT_FILE.exec(name);
  if (match === null) return null;
  const stem = match[1]!;
  const generation = Number(match[2]);
  // Past 2^53 − 1 two names would read as one number; the store never writes one.
  if (!Number.isSafeInteger(generation)) return null;
  try {
    const id = decodeURIComponent(stem);
    // Only the canonical spelling counts: `%61.1.snap` is not a file of id "a".
    return encodeFileName(id) === stem ? { id, stem, generation } : null;
  } catch {
    return null;
  }
}
