/**
 * What the dashboard reads, as structural types: a host built on
 * `@belfry/host`, or any host that offers the same shapes, fits without this
 * package depending on it. Cluster stores from `@belfry/store-redis` or
 * `@belfry/store-pg` fit the `RunHistoryReader`, `PresenceReader` and
 * `ClusterControl` shapes.
 */

/** A failure as the scheduler reports it. */
export interface DashboardErrorInfo {
  name?: string;
  message: string;
  code?: string;
}

/** One schedule as the local scheduler reports it (`Scheduler.status().schedules[n]`). */
export interface DashboardSchedule {
  plugin: string;
  scheduleId: string;
  description?: string;
  expression: string;
  timezone: string;
  locking: string;
  paused: boolean;
  running: boolean;
  nextRunAt: number | null;
  lastRunAt: number | null;
  lastOutcome: 'success' | 'error' | 'skipped' | null;
  lastDurationMs: number | null;
  lastSkipReason: string | null;
  lastError: DashboardErrorInfo | null;
  runCount: number;
  errorCount: number;
}

/** One finished or skipped run, from the host's run log or a cluster `RunHistory` (`RunRecord`). */
export interface DashboardRun {
  /** The record's id, in a cluster history. */
  id?: string;
  plugin: string;
  scheduleId: string;
  /** Nominal time of the occurrence, ms since the epoch. */
  scheduledAt: number;
  nodeId: string;
  locking?: string;
  outcome: 'success' | 'error' | 'skipped';
  /** When the run started (for skips: when the firing was skipped). */
  startedAt: number;
  durationMs: number;
  isCatchup?: boolean;
  manual?: boolean;
  fence?: number;
  /** Why a firing was skipped (`RunRecord.skipReason` of a cluster history). */
  skipReason?: string;
  /** Why a firing was skipped (the host's in-memory run log). */
  reason?: string;
  /** The failure, as text or as `{ message }`. */
  error?: string | DashboardErrorInfo;
  /** Tick metrics a poller reported for this run. */
  metrics?: Record<string, number>;
}

/** What `host.status()` returns (`HostStatus` of `@belfry/host`); `pollers` is shown when present. */
export interface DashboardHostStatus {
  nodeId: string;
  backend: string;
  startedAt: number;
  scheduler: { state: string; schedules: DashboardSchedule[] };
  plugins: { id: string; name: string; version: string; capabilities: string[] }[];
  locks: { plugin: string; scheduleId: string; scheduledAt: number; fence?: number; since: number }[];
  snapshots: { at: number; kind: string; entries: { id: string; status: string; error?: string }[] }[];
  warnings: string[];
  /** Poller jobs (jobs, last tick, cursor, metrics), when the host runs pollers. Shown as given. */
  pollers?: unknown;
}

/** Names of the scheduler events the dashboard listens to. */
export interface DashboardSchedulerEvents {
  'run:start': { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; isCatchup: boolean; manual: boolean; startedAt: number; fence?: number };
  'run:success': { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; isCatchup: boolean; manual: boolean; startedAt: number; durationMs: number };
  'run:error': {
    plugin: string;
    scheduleId: string;
    scheduledAt: number;
    nodeId: string;
    isCatchup: boolean;
    manual: boolean;
    startedAt: number;
    durationMs: number;
    error: DashboardErrorInfo;
  };
  'run:skip': { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; isCatchup: boolean; manual: boolean; reason: string };
  'run:dropped': { plugin: string; scheduleId: string; scheduledAt: number; nodeId: string; count: number };
}

/** The scheduler calls the dashboard makes (`Scheduler` of `@belfry/scheduler-core`). */
export interface DashboardScheduler {
  on<E extends keyof DashboardSchedulerEvents>(event: E, listener: (event: DashboardSchedulerEvents[E]) => void): () => void;
  trigger(plugin: string, scheduleId: string): Promise<string>;
  pause(plugin?: string, scheduleId?: string): void;
  resume(plugin?: string, scheduleId?: string): void;
}

/** The local node: a `BelfryHost`, or anything with the same three members. */
export interface DashboardHost {
  status(): DashboardHostStatus;
  runs: { recent(limit?: number): DashboardRun[] };
  scheduler: DashboardScheduler;
}

/** Filter of a run history query (`RunHistoryQuery` of `@belfry/plugin-api`). */
export interface RunQuery {
  plugin?: string;
  scheduleId?: string;
  outcome?: DashboardRun['outcome'];
  nodeId?: string;
  /** The opaque `next` of the previous page. */
  before?: string;
  limit: number;
}

/** A page of runs, newest first; `next` fetches the older ones, null at the end. */
export interface RunPage {
  runs: DashboardRun[];
  next: string | null;
}

/** The cluster's run history (`RunHistory`). */
export interface RunHistoryReader {
  query(query: RunQuery): Promise<RunPage>;
}

/** A live node as `Presence.list()` returns it (`LiveNode`). */
export interface NodePresence {
  nodeId: string;
  version: string;
  startedAt: number;
  backend: string;
  /** `'starting'`, `'running'` or `'stopping'`. */
  status: string;
  /** When the node last published, by the store's clock. */
  lastSeenAt?: number;
}

/** The cluster's live nodes (`Presence`). */
export interface PresenceReader {
  list(): Promise<NodePresence[]>;
}

/** What a pause applies to (`ControlTarget`): one schedule of a plugin, or one poller job. */
export type ControlTarget = { kind: 'schedule'; plugin: string; scheduleId: string } | { kind: 'poller_job'; jobId: string };

/** A paused target, who paused it and why (`PausedTarget`). */
export interface PausedTarget {
  target: ControlTarget;
  by?: string;
  reason?: string;
  pausedAt: number;
}

/** Cluster-wide pause and resume (`Control`): every node honours a pause set through any node. */
export interface ClusterControl {
  pause(target: ControlTarget, options?: { by?: string; reason?: string }): Promise<void>;
  resume(target: ControlTarget): Promise<void>;
  paused(): Promise<PausedTarget[]>;
}
