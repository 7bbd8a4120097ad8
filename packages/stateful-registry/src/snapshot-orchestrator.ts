import { InvalidArgumentError, RestoreFailedError, SnapshotFailedError, systemClock, type Clock, type Logger, type StatefulPlugin, type StatefulSnapshot } from '@belfry/plugin-api';
import { describeValue, MAX_SNAPSHOT_VERSION } from '@belfry/internal';
import type { SnapshotReportEntry } from './snapshot-report.js';
import type { SnapshotStore } from './snapshot-store.js';
import type { StatefulRegistry } from './stateful-registry.js';
import { withDeadline } from './with-deadline.js';
import { codeOf, messageOf } from './error-details.js';

/** Options of {@link SnapshotOrchestrator}. */
export interface SnapshotOrchestratorOptions {
  /** The plugins to snapshot and restore. Required. */
  registry: StatefulRegistry;
  /** Where snapshots go. Required. */
  store: SnapshotStore;
  /** Drives periodic snapshots and timeouts. Default: `systemClock`. */
  clock?: Clock;
  /** Receives a warning per failed or reset plugin. Default: `console`. */
  logger?: Logger;
  /** Time between periodic snapshots once `start()` is called, in ms (integer ≥ 1). Default: none — no periodic snapshots. */
  intervalMs?: number;
  /** Longest one plugin call (snapshot, restoreSnapshot) or one store call may take, in ms. Default: 10,000. */
  timeoutMs?: number;
  /** Largest snapshot payload accepted, in bytes; larger ones fail that plugin. Default: 16 MiB (16,777,216). */
  maxSnapshotBytes?: number;
  /** Called with the report of every snapshot pass, periodic ones included. Default: none. */
  onSnapshot?: (report: SnapshotReportEntry[]) => void;
}

/** 16 MiB: generous for state, small enough that one runaway plugin cannot exhaust memory or disk. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Saves and restores every registered plugin's state. Plugins are handled
 * concurrently and independently: one that throws, hangs past `timeoutMs`, or
 * returns a malformed or oversized snapshot is reported as `failed` and never
 * stops the others. A plugin that refuses a saved version
 * (`UnsupportedVersionError`) is `reset`: the stale bytes are deleted.
 */
export class SnapshotOrchestrator {
  readonly #registry: StatefulRegistry;
  readonly #store: SnapshotStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #intervalMs: number | undefined;
  readonly #timeoutMs: number;
  readonly #maxSnapshotBytes: number;
  readonly #onSnapshot: ((report: SnapshotReportEntry[]) => void) | undefined;
  #passes: Promise<unknown> = Promise.resolve();
  #cancelTimer: (() => void) | undefined;
  #running = false;
  #stopping: Promise<SnapshotReportEntry[]> | undefined;

  constructor(options: SnapshotOrchestratorOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`SnapshotOrchestrator: options must be an object { registry, store, … }, got ${describeValue(options)}`);
    }
    const { registry, store, clock = systemClock, logger = console, intervalMs, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    const { maxSnapshotBytes = DEFAULT_MAX_SNAPSHOT_BYTES, onSnapshot } = options;
    if (typeof registry?.list !== 'function') {
      throw new InvalidArgumentError(`SnapshotOrchestrator: options.registry must be a StatefulRegistry, got ${describeValue(registry)}`);
    }
    for (const method of ['save', 'load', 'delete', 'list'] as const) {
      if (typeof store?.[method] !== 'function') {
        throw new InvalidArgumentError(`SnapshotOrchestrator: options.store must be a SnapshotStore (missing ${method}()), got ${describeValue(store)}`);
      }
    }
    if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError(`SnapshotOrchestrator: options.clock must be a Clock { now, setTimer }, got ${describeValue(clock)}`);
    }
    if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function') {
      throw new InvalidArgumentError(`SnapshotOrchestrator: options.logger must be a Logger { warn, error }, got ${describeValue(logger)}`);
    }
    assertPositiveInteger(intervalMs, 'intervalMs', true);
    assertPositiveInteger(timeoutMs, 'timeoutMs', false);
    assertPositiveInteger(maxSnapshotBytes, 'maxSnapshotBytes', false);
    if (onSnapshot !== undefined && typeof onSnapshot !== 'function') {
      throw new InvalidArgumentError(`SnapshotOrchestrator: options.onSnapshot must be a function, got ${describeValue(onSnapshot)}`);
    }
    this.#registry = registry;
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#maxSnapshotBytes = maxSnapshotBytes;
    this.#onSnapshot = onSnapshot;
  }

  /** Snapshots every registered plugin and saves the results; one entry per plugin, in registration order. */
  snapshotAll(): Promise<SnapshotReportEntry[]> {
    return this.#queue(async () => {
      const report = await Promise.all(this.#registry.list().map((plugin) => this.#snapshotOne(plugin.id, plugin)));
      this.#logProblems('Snapshot', report);
      try {
        this.#onSnapshot?.(report);
      } catch (error) {
        this.#log('error', `SnapshotOrchestrator: onSnapshot threw: ${messageOf(error)}`);
      }
      return report;
    });
  }

  /** Hands every registered plugin its saved state; one entry per plugin, in registration order. */
  restoreAll(): Promise<SnapshotReportEntry[]> {
    return this.#queue(async () => {
      const report = await Promise.all(this.#registry.list().map((plugin) => this.#restoreOne(plugin.id, plugin)));
      this.#logProblems('Restore', report);
      return report;
    });
  }

  /** Starts periodic snapshots every `intervalMs` (measured from the end of the previous pass). */
  start(): void {
    if (this.#intervalMs === undefined) {
      throw new InvalidArgumentError('SnapshotOrchestrator.start: periodic snapshots need options.intervalMs');
    }
    if (this.#stopping !== undefined) throw new InvalidArgumentError('SnapshotOrchestrator.start: the orchestrator was stopped');
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  /**
   * Stops periodic snapshots, waits for a pass in progress, then takes the final
   * snapshot and returns its report. Calling it again returns the same report.
   */
  stop(): Promise<SnapshotReportEntry[]> {
    this.#stopping ??= (async () => {
      this.#running = false;
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
      return this.snapshotAll();
    })();
    return this.#stopping;
  }

  #arm(): void {
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = undefined;
      if (!this.#running) return;
      void this.snapshotAll().finally(() => {
        if (this.#running) this.#arm();
      });
    }, this.#intervalMs!);
  }

  /** Passes run one at a time, so a periodic pass never races the final one. */
  #queue<T>(pass: () => Promise<T>): Promise<T> {
    const run = this.#passes.then(pass, pass);
    this.#passes = run.catch(() => undefined);
    return run;
  }

  async #snapshotOne(id: string, plugin: StatefulPlugin): Promise<SnapshotReportEntry> {
    try {
      const snapshot = await withDeadline(() => plugin.snapshot(), this.#timeoutMs, this.#clock, `snapshot() of plugin ${JSON.stringify(id)}`);
      this.#checkSnapshot(id, snapshot);
      await withDeadline(() => this.#store.save(snapshot), this.#timeoutMs, this.#clock, `saving the snapshot of plugin ${JSON.stringify(id)}`);
      return { id, status: 'saved' };
    } catch (error) {
      return failure(id, error, (message) => new SnapshotFailedError(id, message));
    }
  }

  async #restoreOne(id: string, plugin: StatefulPlugin): Promise<SnapshotReportEntry> {
    let snapshot: StatefulSnapshot | null;
    try {
      snapshot = await withDeadline(() => this.#store.load(id), this.#timeoutMs, this.#clock, `loading the snapshot of plugin ${JSON.stringify(id)}`);
    } catch (error) {
      return failure(id, error, (message) => new RestoreFailedError(id, message));
    }
    if (snapshot === null) return { id, status: 'missing' };
    let saved: StatefulSnapshot;
    try {
      saved = this.#checkLoaded(id, snapshot);
    } catch (error) {
      return failure(id, error, () => undefined);
    }
    // Without restoreSnapshot the contract's default applies: the plugin ignores its saved state.
    if (plugin.restoreSnapshot === undefined) return { id, status: 'restored' };
    try {
      await withDeadline(() => plugin.restoreSnapshot!(saved), this.#timeoutMs, this.#clock, `restoreSnapshot() of plugin ${JSON.stringify(id)}`);
      return { id, status: 'restored' };
    } catch (error) {
      if (codeOf(error) !== 'unsupported_version') return failure(id, error, (message) => new RestoreFailedError(id, message));
      return this.#reset(id, error);
    }
  }

  /** The plugin cannot read its saved version: discard the bytes so the next start does not trip on them again. */
  async #reset(id: string, refusal: unknown): Promise<SnapshotReportEntry> {
    try {
      await withDeadline(() => this.#store.delete(id), this.#timeoutMs, this.#clock, `deleting the stale snapshot of plugin ${JSON.stringify(id)}`);
      return { id, status: 'reset', error: messageOf(refusal), code: 'unsupported_version' };
    } catch (error) {
      return { id, status: 'reset', error: `${messageOf(refusal)}; deleting the stale snapshot failed: ${messageOf(error)}`, code: 'unsupported_version' };
    }
  }

  #checkSnapshot(id: string, snapshot: unknown): asserts snapshot is StatefulSnapshot {
    if (typeof snapshot !== 'object' || snapshot === null) throw new SnapshotFailedError(id, `snapshot() returned ${describeValue(snapshot)}, not { id, version, bytes }`);
    const { id: reported, version, bytes } = snapshot as Record<string, unknown>;
    if (reported !== id) throw new SnapshotFailedError(id, `snapshot() returned id ${describeValue(reported)}; it must equal the plugin id`);
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_SNAPSHOT_VERSION) {
      throw new SnapshotFailedError(id, `snapshot() returned version ${describeValue(version)}; it must be an integer from 1 to ${MAX_SNAPSHOT_VERSION}`);
    }
    if (!(bytes instanceof Uint8Array)) throw new SnapshotFailedError(id, `snapshot() returned bytes of type ${describeValue(bytes)}; they must be a Uint8Array`);
    if (bytes.length > this.#maxSnapshotBytes) {
      throw new SnapshotFailedError(id, `snapshot() returned ${bytes.length} bytes, over the ${this.#maxSnapshotBytes}-byte limit (maxSnapshotBytes)`);
    }
  }

  /**
   * A store is code too: whatever its `load` resolved must be this plugin's well-formed
   * snapshot before a plugin sees it. Returns a fresh object, so the plugin gets exactly what was checked.
   */
  #checkLoaded(id: string, loaded: unknown): StatefulSnapshot {
    if (typeof loaded !== 'object' || loaded === null) {
      throw new RestoreFailedError(id, `the store returned ${describeValue(loaded)}, not a snapshot or null`);
    }
    const { id: stored, version, bytes } = loaded as Record<string, unknown>;
    if (stored !== id) {
      throw new RestoreFailedError(id, `the store returned a snapshot of ${typeof stored === 'string' ? JSON.stringify(stored) : describeValue(stored)}`);
    }
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_SNAPSHOT_VERSION) {
      throw new RestoreFailedError(id, `the store returned version ${describeValue(version)}; it must be an integer from 1 to ${MAX_SNAPSHOT_VERSION}`);
    }
    if (!(bytes instanceof Uint8Array)) throw new RestoreFailedError(id, `the store returned bytes of type ${describeValue(bytes)}; they must be a Uint8Array`);
    return { id, version, bytes };
  }

  #logProblems(pass: string, report: SnapshotReportEntry[]): void {
    for (const entry of report) {
      if (entry.status === 'failed') this.#log('warn', `${pass} of plugin ${JSON.stringify(entry.id)} failed: ${entry.error}`, { ...entry });
      if (entry.status === 'reset') this.#log('warn', `Plugin ${JSON.stringify(entry.id)} state was reset: ${entry.error}`, { ...entry });
    }
  }

  /** A logger that throws must not fail a pass: a periodic one would become an unhandled rejection. */
  #log(level: 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    try {
      if (fields === undefined) this.#logger[level](message);
      else this.#logger[level](message, fields);
    } catch {
      // Nowhere left to report it; the pass's report still carries every problem.
    }
  }
}

function assertPositiveInteger(value: unknown, name: string, optional: boolean): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`SnapshotOrchestrator: options.${name} must be a positive integer, got ${describeValue(value)}`);
  }
}

/** A failed entry; plain errors are wrapped so the message names the plugin and the code is stable. */
function failure(id: string, error: unknown, wrap: (message: string) => Error | undefined): SnapshotReportEntry {
  const code = codeOf(error);
  if (code !== undefined && error instanceof Error) return { id, status: 'failed', error: messageOf(error), code };
  const wrapped = wrap(messageOf(error)) ?? (error as Error);
  return { id, status: 'failed', error: wrapped.message, ...(codeOf(wrapped) === undefined ? {} : { code: codeOf(wrapped) }) };
}
