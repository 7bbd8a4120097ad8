import { InvalidArgumentError, SchedulerStoppedError, type ScheduledPlugin, type StatefulPlugin, type StatefulSnapshot } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { decodeSchedulerState } from './decode-scheduler-state.js';
import { encodeSchedulerState } from './encode-scheduler-state.js';
import { Dispatcher } from './dispatcher.js';
import { findEntry } from './find-entry.js';
import { normalizeSchedule } from './normalize-schedule.js';
import type { PersistedScheduleState } from './persisted-schedule-state.js';
import { resolveSchedulerOptions, type ResolvedSchedulerOptions } from './resolve-scheduler-options.js';
import { RunReporter } from './run-reporter.js';
import { ScheduleEntry } from './schedule-entry.js';
import { scheduleKey } from './schedule-key.js';
import { selectEntries } from './select-entries.js';
import type { RegisterScope, RunOutcome, SchedulerEventName, SchedulerListener, SchedulerOptions, SchedulerStatus, StopOptions } from './scheduler-types.js';

const DEFAULT_PRIORITY = 1000;

type State = SchedulerStatus['state'];

/**
 * Fires the schedules of registered plugins: one timer over a priority
 * queue, DST-correct cron, per-occurrence locks for exactly-once firing
 * across a cluster, and catch-up of missed occurrences from persisted state.
 * It is itself a `StatefulPlugin`: restore its snapshot before `start()`.
 *
 * This class keeps the public API and the lifecycle; `Dispatcher` runs the
 * firing loop (`Timeline`, `planOccurrences` / `planFirings` /
 * `spreadCatchups`), `FiringRunner` runs one firing end to end (with
 * `OccurrenceLease`, `StartGate` and `invokePlugin`), and `RunReporter`
 * tells stats, listeners and the log.
 */
export class Scheduler implements StatefulPlugin {
  readonly id: string;
  readonly nodeId: string;
  private readonly options: ResolvedSchedulerOptions;
  private readonly reporter: RunReporter;
  private readonly dispatcher: Dispatcher;

  private state: State = 'idle';
  private order = 0;
  private readonly plugins = new Map<string, ScheduleEntry[]>();
  private readonly reservedNames = new Set<string>();
  private readonly entries = new Map<string, ScheduleEntry>();
  private readonly restored = new Map<string, PersistedScheduleState>();
  private stopping: Promise<void> | undefined;

  constructor(options: SchedulerOptions = {}) {
    this.options = resolveSchedulerOptions(options);
    this.id = this.options.stateId;
    this.nodeId = this.options.nodeId;
    this.reporter = new RunReporter(this.nodeId, this.options.logger);
    this.dispatcher = new Dispatcher(this.options, this.reporter, () => this.state === 'running', this.restored);
  }

  /**
   * Adds a plugin and its schedules. Rejects a duplicate plugin name, a
   * duplicate schedule id, or a schedule that does not parse, naming the
   * plugin and the schedule; nothing of a rejected plugin is registered.
   * Rejects with `SchedulerStoppedError` once `stop()` was called.
   */
  async register(plugin: ScheduledPlugin, scope: RegisterScope = {}): Promise<void> {
    if (typeof plugin !== 'object' || plugin === null) {
      throw new InvalidArgumentError(`register() needs a ScheduledPlugin object (got ${describeValue(plugin)})`);
    }
    const name = plugin.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
      throw new InvalidArgumentError(`Plugin name must be a non-empty string of at most 200 characters (got ${describeValue(name)})`);
    }
    if (typeof plugin.run !== 'function' || typeof plugin.schedules !== 'function') {
      throw new InvalidArgumentError(`Plugin ${JSON.stringify(name)} must have run() and schedules() methods`);
    }
    const priority = plugin.priority ?? DEFAULT_PRIORITY;
    if (typeof priority !== 'number' || !Number.isFinite(priority)) {
      throw new InvalidArgumentError(`Priority of plugin ${JSON.stringify(name)} must be a finite number (got ${describeValue(priority)})`);
    }
    if (typeof scope !== 'object' || scope === null) {
      throw new InvalidArgumentError(`Scope of plugin ${JSON.stringify(name)} must be an object (got ${describeValue(scope)})`);
    }
    for (const field of ['tenantId', 'siteId'] as const) {
      if (scope[field] !== undefined && typeof scope[field] !== 'string') {
        throw new InvalidArgumentError(`Scope field "${field}" of plugin ${JSON.stringify(name)} must be a string (got ${describeValue(scope[field])})`);
      }
    }
    this.assertOpen(`register plugin ${JSON.stringify(name)}`);
    if (this.reservedNames.has(name)) {
      throw new InvalidArgumentError(`A plugin named ${JSON.stringify(name)} is already registered; plugin names must be unique`);
    }
    this.reservedNames.add(name);
    try {
      const declared: unknown = await plugin.schedules();
      if (!Array.isArray(declared)) {
        throw new InvalidArgumentError(`schedules() of plugin ${JSON.stringify(name)} must return an array (got ${describeValue(declared)})`);
      }
      const seen = new Set<string>();
      const normalized = declared.map((value) => {
        const schedule = normalizeSchedule(name, value);
        if (seen.has(schedule.id)) {
          throw new InvalidArgumentError(`Plugin ${JSON.stringify(name)} declares schedule id ${JSON.stringify(schedule.id)} twice; ids must be unique within a plugin`);
        }
        seen.add(schedule.id);
        return schedule;
      });
      // stop() may have been called while schedules() was pending.
      this.assertOpen(`register plugin ${JSON.stringify(name)}`);
      const locking = this.options.locking !== undefined;
      const entries = normalized.map(
        (schedule) => new ScheduleEntry({ plugin, pluginName: name, priority, order: this.order++, scope, locked: locking && schedule.hint !== 'node_local', schedule }),
      );
      this.plugins.set(name, entries);
      for (const entry of entries) this.entries.set(entry.key, entry);
      if (this.state === 'running') this.dispatcher.begin(entries);
    } catch (error) {
      this.reservedNames.delete(name);
      throw error;
    }
  }

  /** Starts firing. Catch-ups for occurrences missed since the restored snapshot are planned now. */
  async start(): Promise<void> {
    this.assertOpen('start');
    if (this.state !== 'idle') {
      throw new InvalidArgumentError(`start() can only be called once, before stop() (the scheduler is ${this.state})`);
    }
    this.state = 'running';
    this.dispatcher.begin([...this.entries.values()]);
  }

  /**
   * Stops firing, waits up to `graceMs` for running runs to finish, then
   * aborts the `ctx.signal` of those still going with `SchedulerStoppedError`
   * and releases their locks.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`stop() options must be an object (got ${describeValue(options)})`);
    }
    const graceMs = options.graceMs ?? 10_000;
    if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) {
      throw new InvalidArgumentError(`stop() option "graceMs" must be a non-negative number of ms (got ${describeValue(graceMs)})`);
    }
    this.stopping ??= this.shutDown(graceMs);
    return this.stopping;
  }

  /**
   * Runs a schedule now, outside its timetable (`scheduledAt` = now).
   * Resolves with the outcome once the run has finished or was skipped;
   * rejects with `SchedulerStoppedError` once `stop()` was called.
   */
  trigger(pluginName: string, scheduleId: string): Promise<RunOutcome> {
    const entry = this.find(pluginName, scheduleId, 'trigger');
    if (this.isClosed()) {
      return Promise.reject(this.stoppedError(`trigger ${JSON.stringify(pluginName)}/${JSON.stringify(scheduleId)}`));
    }
    return this.dispatcher.runNow(entry);
  }

  /** Pauses one schedule, all of a plugin's, or (no arguments) every schedule. Due firings are skipped as `paused`. */
  pause(pluginName?: string, scheduleId?: string): void {
    for (const entry of this.select(pluginName, scheduleId, 'pause')) entry.paused = true;
  }

  /** Undoes `pause` for the same selection. Occurrences that passed while paused are not caught up. */
  resume(pluginName?: string, scheduleId?: string): void {
    for (const entry of this.select(pluginName, scheduleId, 'resume')) entry.paused = false;
  }

  /** A plain-data picture of every schedule on this node. */
  status(): SchedulerStatus {
    const schedules = [...this.entries.values()].map((entry) => entry.status());
    return { nodeId: this.nodeId, state: this.state, locking: this.options.locking?.name ?? null, schedules };
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends SchedulerEventName>(event: E, listener: SchedulerListener<E>): () => void {
    return this.reporter.events.on(event, listener);
  }

  /** Captures, per schedule, through when its occurrences were handled. */
  snapshot(): StatefulSnapshot {
    const states = new Map(this.restored);
    const unstarted = this.dispatcher.unstartedFirings(this.entries.values());
    for (const entry of this.entries.values()) {
      if (entry.handledThrough === null) continue;
      states.set(entry.key, {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        expression: entry.parsed.expression,
        timezone: entry.parsed.timezone,
        handledThrough: Math.min(entry.handledThrough, (unstarted.get(entry) ?? Number.POSITIVE_INFINITY) - 1),
        lastScheduledAt: entry.stats.lastScheduledAt,
      });
    }
    return encodeSchedulerState(this.id, states.values());
  }

  /** Loads state saved by `snapshot()`. Must be called before `start()`. */
  restoreSnapshot(snapshot: StatefulSnapshot): void {
    this.assertOpen('restore a snapshot');
    if (this.state !== 'idle') {
      throw new InvalidArgumentError(`restoreSnapshot() must be called before start() (the scheduler is ${this.state})`);
    }
    const states = decodeSchedulerState(this.id, snapshot);
    this.restored.clear();
    for (const state of states) this.restored.set(scheduleKey(state.plugin, state.scheduleId), state);
  }

  private async shutDown(graceMs: number): Promise<void> {
    this.state = 'stopping';
    this.dispatcher.close([...this.entries.values()]);
    if (this.dispatcher.activeRuns > 0) {
      // A zero grace aborts at once: a timer, even of 0 ms, would wait for an injected clock to move.
      if (graceMs > 0) {
        let cancelGrace: () => void = () => undefined;
        const graceOver = new Promise<void>((resolve) => {
          cancelGrace = this.options.clock.setTimer(resolve, graceMs);
        });
        await Promise.race([this.dispatcher.allSettled(), graceOver]);
        cancelGrace();
      }
      await this.dispatcher.abortAll(new SchedulerStoppedError(`Scheduler on node ${this.nodeId} stopped; the ${graceMs} ms grace period is over`));
    }
    this.state = 'stopped';
  }

  private isClosed(): boolean {
    return this.state === 'stopping' || this.state === 'stopped';
  }

  private stoppedError(action: string): SchedulerStoppedError {
    return new SchedulerStoppedError(`Cannot ${action}: the scheduler is ${this.state}`);
  }

  private assertOpen(action: string): void {
    if (this.isClosed()) throw this.stoppedError(action);
  }

  private find(pluginName: string, scheduleId: string, method: string): ScheduleEntry {
    return findEntry(this.entries, pluginName, scheduleId, method);
  }

  private select(pluginName: string | undefined, scheduleId: string | undefined, method: string): ScheduleEntry[] {
    return selectEntries({ entries: this.entries, plugins: this.plugins }, pluginName, scheduleId, method);
  }
}
