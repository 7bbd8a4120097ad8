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
  fence?: number;
  /** Why a firing was skipped. */
  reason?: string;
  /** The failure's message for `error`. */
  error?: string;
  /** A poller job's run: the metrics its tick returned. */
  metrics?: Record<string, number>;
}

/** The most recent runs, oldest dropped first. */
export class RunLog {
  readonly #records: RunRecord[] = [];

  readonly #capacity: number;

  constructor(capacity = 500) {
    this.#capacity = capacity;
  }

  add(record: RunRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#capacity) this.#records.splice(0, this.#records.length - this.#capacity);
  }

  /** Newest first, at most `limit`. */
  recent(limit = this.#capacity): RunRecord[] {
    return this.#records.slice(-limit).reverse();
  }
}
