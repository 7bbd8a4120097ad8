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

/** One finished or skipped run, from the host's run log or a cluster `RunHistory`. */
export interface DashboardRun {
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
  /** Why a firing was skipped. */
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

/** Filter of a run history query (`RunHistory.query` of the cluster stores). */
export interface RunQuery {
  plugin?: string;
  scheduleId?: string;
  outcome?: DashboardRun['outcome'];
  nodeId?: string;
  /** The `next` of the previous page. */
  before?: string | number;
  limit: number;
}

/** A page of runs, newest first; `next` fetches the older ones, null at the end. */
export interface RunPage {
  runs: DashboardRun[];
  next: string | number | null;
}

/** The cluster's run history (`RunHistory`). */
export interface RunHistoryReader {
  query(filter: RunQuery): Promise<{ runs: DashboardRun[]; next?: string | number | null }>;
}

/** A live node as `Presence.list()` returns it. */
export interface NodePresence {
  nodeId: string;
  version: string;
  startedAt: number;
  backend: string;
  status: unknown;
}

/** The cluster's live nodes (`Presence`). */
export interface PresenceReader {
  list(): Promise<NodePresence[]>;
}

/** What a pause or resume applies to: one schedule, every schedule of a plugin, or (empty) everything. */
export interface PauseTarget {
  plugin?: string;
  scheduleId?: string;
}

/** Cluster-wide pause and resume (`Control`): every node honours a pause set through any node. */
export interface ClusterControl {
  pause(target: PauseTarget): Promise<unknown>;
  resume(target: PauseTarget): Promise<unknown>;
  paused(): Promise<PauseTarget[]>;
}
