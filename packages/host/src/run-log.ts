import type { LockingHint } from '@belfry/plugin-api';

/** One finished or skipped run, as the dashboard and `/api/runs` show it. */
export interface RunRecord {
  plugin: string;
  scheduleId: string;
  scheduledAt: number;
  nodeId: string;
  locking: LockingHint;
  outcome: 'success' | 'error' | 'skipped';
  /** When the run started (for skips: when the firing was skipped), ms since the epoch. */
  startedAt: number;
  durationMs: number;
  isCatchup: boolean;
  /** True for a run started by hand (`runNow`, the scheduler's `trigger`). */
  manual?: boolean;
  fence?: number;
  /** Why a firing was skipped. */
  reason?: string;
  /** The failure's message: for `error`, and for a skip caused by an error (`lock_error`). */
  error?: string;
  /** A poller job's run: the metrics its tick returned. */
  metrics?: Record<string, number>;
}

/** The most recent runs, oldest dropped first. */
export class RunLog {
  readonly #records: RunRecord[] = [];

  readonly #capacity: number;

  readonly #listeners = new Set<(record: RunRecord) => void>();

  constructor(capacity = 500) {
    this.#capacity = capacity;
  }

  add(record: RunRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#capacity) this.#records.splice(0, this.#records.length - this.#capacity);
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A listener's failure is its own: the record is kept and other listeners still hear of it.
      }
    }
  }

  /** Calls `listener` with every record added from now on; returns the function that stops it. */
  onAdd(listener: (record: RunRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Newest first, at most `limit`. */
  recent(limit = this.#capacity): RunRecord[] {
    return this.#records.slice(-limit).reverse();
  }
}
