import type { JsonValue } from './json-value.js';

/** A job's cursor and the fence of the run that saved it. */
export interface StoredCursor {
  cursor: JsonValue;
  fence: number;
}

/** What a save did: stored it, or refused it because a later run (higher fence) already saved. */
export type CursorSaveResult = 'saved' | 'stale';

/**
 * Where poller jobs keep their cursors between ticks. A save whose fence is
 * below the stored one is refused as `stale`, so a tick that lost its lock
 * never rolls a cursor back. A save with the same fence is accepted: it is
 * the same run (or a run without a global lock) saving again.
 */
export interface CursorStore {
  /** The job's cursor and fence, or null if the job never saved one. */
  load(jobId: string): Promise<StoredCursor | null>;
  /** Stores `cursor` for `jobId` unless a higher fence is stored. */
  save(jobId: string, cursor: JsonValue, fence: number): Promise<CursorSaveResult>;
}
