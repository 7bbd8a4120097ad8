import type { ClusterControl, DashboardHost, NodePresence, PresenceReader, RunHistoryReader, RunPage, RunQuery } from './dashboard-types.js';
import { localRunPage } from './local-run-page.js';
import { statusView, type StatusView } from './status-view.js';

/** How many recent runs the live update carries for the page's charts and first page. */
const LIVE_RUNS = 60;

/** What one live update carries. */
export interface LiveSnapshot {
  status: StatusView;
  runs: RunPage['runs'];
}

/**
 * The dashboard's one read path: the local host's status, and the cluster
 * stores when configured, else this node's memory and this node alone.
 */
export class DashboardData {
  readonly #host: DashboardHost;
  readonly #history: RunHistoryReader | undefined;
  readonly #presence: PresenceReader | undefined;
  readonly #control: ClusterControl | undefined;
  readonly #version: string;
  readonly #actions: boolean;

  constructor(sources: { host: DashboardHost; history?: RunHistoryReader; presence?: PresenceReader; control?: ClusterControl; version: string; actions: boolean }) {
    this.#host = sources.host;
    this.#history = sources.history;
    this.#presence = sources.presence;
    this.#control = sources.control;
    this.#version = sources.version;
    this.#actions = sources.actions;
  }

  async status(): Promise<StatusView> {
    const local = this.#host.status();
    const nodes: NodePresence[] = this.#presence
      ? await this.#presence.list()
      : [{ nodeId: local.nodeId, version: this.#version, startedAt: local.startedAt, backend: local.backend, status: local.scheduler.state }];
    const clusterPaused = this.#control ? await this.#control.paused() : null;
    return statusView(local, { nodes, clusterPaused, clusterHistory: this.#history !== undefined, actions: this.#actions });
  }

  async runs(query: RunQuery): Promise<RunPage> {
    if (this.#history === undefined) return localRunPage(this.#host.runs.recent(), query);
    const page = await this.#history.query(query);
    return { runs: page.runs, next: page.next };
  }

  async live(): Promise<LiveSnapshot> {
    const [status, page] = await Promise.all([this.status(), this.runs({ limit: LIVE_RUNS })]);
    return { status, runs: page.runs };
  }
}
