/** A snapshot file that failed its checks and was moved aside instead of being loaded. Plain JSON. */
export interface CorruptSnapshotFile {
  /** The snapshot id the file was stored under. */
  id: string;
  /** Where the file was found. */
  path: string;
  /** Where it was moved (`<path>.corrupt-<ms>`), or `null` when the move itself failed. */
  movedTo: string | null;
  /** What is wrong with it, e.g. `checksum mismatch (the file is corrupted)`. */
  reason: string;
}
