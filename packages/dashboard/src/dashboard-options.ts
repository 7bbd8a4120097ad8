import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import type { ClusterControl, DashboardHost, PresenceReader, RunHistoryReader } from './dashboard-types.js';

/** Source of time for live-update timers: `Clock` of `@belfry/plugin-api`. */
export interface DashboardClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): () => void;
}

/** Options of `createDashboard`. Only `host` is required. */
export interface DashboardOptions {
  /** The local node: a started `BelfryHost` (or anything with `status()`, `runs.recent()` and `scheduler`). */
  host: DashboardHost;
  /** The cluster's run history. Default: this node's in-memory run log. */
  history?: RunHistoryReader;
  /** The cluster's live nodes. Default: this node alone. */
  presence?: PresenceReader;
  /** Cluster-wide pause and resume. Default: pause and resume this node's scheduler only. */
  control?: ClusterControl;
  /**
   * Enables the actions (run now, pause, resume) for requests carrying
   * `Authorization: Bearer <operatorToken>`. At least 16 characters, no
   * whitespace. Default: none — the dashboard is read-only and its action
   * routes answer 404.
   */
  operatorToken?: string;
  /**
   * `Host` header names (`name` or `name:port`) the dashboard answers to;
   * any other is refused with 403 (DNS rebinding). Default: the loopback
   * names `127.0.0.1`, `localhost` and `[::1]` on any port. `['*']` turns
   * the check off, e.g. behind a proxy that checks `Host` itself.
   */
  allowedHosts?: readonly string[];
  /** Shown for this node when there is no `presence` (e.g. the host's package version). Default `'unknown'`. */
  version?: string;
  /**
   * The Prometheus registry `/metrics` serves; the scheduler's run metrics
   * are added to it. Default: a new registry of its own (never prom-client's
   * global one). `false` turns `/metrics` and the run metrics and spans off.
   */
  metrics?: Registry | false;
  /** Tracer for the span of every run. Default: `trace.getTracer('@belfry/dashboard')`, a no-op until an SDK is registered. */
  tracer?: Tracer;
  /** Live updates are computed at most this often and shared by every client, in ms. Default 1000. */
  updateIntervalMs?: number;
  /** Timers for live updates. Default: the system clock. */
  clock?: DashboardClock;
}
