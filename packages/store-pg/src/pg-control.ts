import { InvalidArgumentError, type Control, type ControlListener, type ControlTarget, type Logger, type PauseOptions, type PausedTarget } from '@belfry/plugin-api';
import {
  assertControlListener,
  assertControlTarget,
  assertPauseOptions,
  compareControlTargets,
  controlTargetKey,
  describeValue,
  quoteIdentifier,
  storeBackendError,
} from '@belfry/internal';
import { ControlFeed, type ControlState } from './control-feed.js';
import { controlStatements, type ControlStatements, type PausedRow } from './control-statements.js';
import { openPgConnection } from './open-pg-connection.js';
import type { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';

/** Options of {@link PgControl}. */
export interface PgControlOptions extends PgStoreOptions {
  /** Table of paused targets (and the count of changes); created by `setup()`, and the NOTIFY channel. A plain identifier: letters, digits, `_`, at most 63 characters. Default `'belfry_control'`. */
  table?: string;
  /**
   * Whether watchers hold a connection that LISTENs, so changes reach them
   * at once. Set `false` behind PgBouncer in transaction mode, where LISTEN
   * does not work: watchers then learn of changes by re-reading alone.
   * While anyone watches, the listening connection is one of the pool's.
   * Default `true`.
   */
  listen?: boolean;
  /** How often, in ms, watchers re-read the list as a backstop for lost notifications (the only way with `listen: false`). Default `1000`. */
  pollIntervalMs?: number;
  /** Where a watcher that throws, or a read that fails, is reported (`warn`). Default: not reported. */
  logger?: Logger;
}

const MIN_POLL_INTERVAL_MS = 10;

/**
 * Keeps cluster-wide pauses in PostgreSQL. A pause or resume is one
 * statement that writes the target's row, bumps a change count and sends
 * `NOTIFY` on the table's name; watchers LISTEN on a connection of their
 * own (while any are subscribed) and re-read every `pollIntervalMs`
 * anyway, so a change reaches every watcher within about
 * `pollIntervalMs + timeoutMs` even when a notification is lost. Run
 * `setup()` once (it is idempotent) before the first call.
 */
export class PgControl implements Control {
  readonly #connection: PgConnection;
  readonly #statements: ControlStatements;
  readonly #feed: ControlFeed;

  constructor(options: PgControlOptions) {
    const name = options?.table ?? 'belfry_control';
    const table = quoteIdentifier(name, 'PgControl option "table"');
    const listen = options?.listen ?? true;
    if (typeof listen !== 'boolean') throw new InvalidArgumentError(`PgControl option "listen" must be true or false (got ${describeValue(listen)})`);
    const pollIntervalMs = options?.pollIntervalMs ?? 1000;
    if (typeof pollIntervalMs !== 'number' || !Number.isSafeInteger(pollIntervalMs) || pollIntervalMs < MIN_POLL_INTERVAL_MS) {
      throw new InvalidArgumentError(`PgControl option "pollIntervalMs" must be an integer number of milliseconds, at least ${MIN_POLL_INTERVAL_MS} (got ${describeValue(pollIntervalMs)})`);
    }
    const logger = options?.logger;
    if (logger !== undefined && typeof (logger as Logger | null)?.warn !== 'function') {
      throw new InvalidArgumentError(`PgControl option "logger" must be a Logger with warn() (got ${describeValue(logger)})`);
    }
    this.#connection = openPgConnection(options, 'PgControl');
    this.#statements = controlStatements(table, name);
    this.#feed = new ControlFeed({
      connection: this.#connection,
      read: () => this.#read('PgControl.watch()'),
      listen: listen ? `LISTEN ${table}` : null,
      pollIntervalMs,
      logger,
      name: 'PgControl',
    });
  }

  /** Creates the table if it is missing; safe to run from every node at every start. */
  async setup(): Promise<void> {
    await this.#connection.query('PgControl.setup()', { text: this.#statements.setup }, Math.max(this.#connection.timeoutMs, 10_000));
  }

  async pause(target: ControlTarget, options?: PauseOptions): Promise<void> {
    assertControlTarget(target, 'PgControl.pause');
    assertPauseOptions(options, 'PgControl.pause');
    const key = controlTargetKey(target);
    await this.#change(`PgControl.pause(${JSON.stringify(key)})`, this.#statements.pause(key, copyTarget(target), options));
  }

  async resume(target: ControlTarget): Promise<void> {
    assertControlTarget(target, 'PgControl.resume');
    const key = controlTargetKey(target);
    await this.#change(`PgControl.resume(${JSON.stringify(key)})`, this.#statements.resume(key));
  }

  async paused(): Promise<PausedTarget[]> {
    return (await this.#read('PgControl.paused()')).paused;
  }

  watch(listener: ControlListener): () => void {
    assertControlListener(listener, 'PgControl.watch');
    return this.#feed.add(listener);
  }

  /** Stops every watcher, then ends the pool made from `connectionString`; a given `pool` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    this.#feed.clear();
    await this.#connection.close();
  }

  async #change(where: string, statement: ReturnType<ControlStatements['resume']>): Promise<void> {
    const rows = await this.#connection.query(where, statement);
    // No count row: the table was made by something other than setup(), or emptied.
    if (rows.length !== 1) throw storeBackendError(where, 'the table has no change-count row; run setup() once to create it');
  }

  async #read(where: string): Promise<ControlState> {
    const rows = await this.#connection.query<PausedRow>(where, this.#statements.read);
    if (rows.length === 0) throw storeBackendError(where, 'the table has no change-count row; run setup() once to create it');
    const paused = rows.filter((row) => row.target !== null).map(pausedTarget);
    return { version: Number(rows[0]!.version), paused: paused.sort((a, b) => compareControlTargets(a.target, b.target)) };
  }
}

function pausedTarget(row: PausedRow): PausedTarget {
  const entry: PausedTarget = { target: JSON.parse(row.target!) as ControlTarget, pausedAt: Number(row.paused_at) };
  if (row.paused_by !== null) entry.by = row.paused_by;
  if (row.reason !== null) entry.reason = row.reason;
  return entry;
}

function copyTarget(target: ControlTarget): ControlTarget {
  return target.kind === 'schedule' ? { kind: 'schedule', plugin: target.plugin, scheduleId: target.scheduleId } : { kind: 'poller_job', jobId: target.jobId };
}
