/**
 * What happened to one plugin in a snapshot or restore pass:
 * `saved` — its snapshot is stored; `restored` — its saved state was handed back;
 * `reset` — it refused the saved version, which was discarded (default state kept);
 * `missing` — nothing was stored for it; `failed` — see `error`.
 */
export type SnapshotStatus = 'saved' | 'restored' | 'reset' | 'failed' | 'missing';

/** One plugin's line in a report. Plain JSON. */
export interface SnapshotReportEntry {
  /** The plugin id. */
  id: string;
  status: SnapshotStatus;
  /** Why it failed or was reset, as a message a person can act on. */
  error?: string;
  /** The error's stable `code` (e.g. `snapshot_failed`, `unsupported_version`), when it had one. */
  code?: string;
}
