import type { JsonValue, TickParams } from '@belfry/plugin-api';
import type { PollerSlowTick } from './poller-conformance.js';
import type { PollerManifest } from './poller-manifest.js';
import type { PollerSession, RpcReply } from './poller-session.js';

/** What each poller rule gets. */
export interface PollerContext {
  manifest: PollerManifest;
  /** A cancellable tick, when the target gave one (rules that require `cancel`). */
  slowTick: PollerSlowTick | undefined;
  /** Spawns the poller without initializing it. */
  spawn(): PollerSession;
  /** Spawns the poller and waits for any answer to `initialize` (its kinds are POLL-001's business). */
  start(): Promise<PollerSession>;
  /** The tick params of `kind` with the target's sample input, or with `input` instead. */
  tickParams(kind: string, input?: { config?: JsonValue; cursor?: JsonValue }): TickParams;
  /** Sends a tick and waits for its reply within the tick timeout. */
  tick(session: PollerSession, params: TickParams): Promise<RpcReply>;
  /** The session for the next tick: the same one for a long-lived poller, a fresh one for an ephemeral poller. */
  next(session: PollerSession): Promise<PollerSession>;
}
