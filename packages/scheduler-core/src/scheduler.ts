import { hostname } from 'node:os';
import { InvalidArgumentError, LockLostError, systemClock, type Clock, type LockHandle, type LockingPlugin, type Logger, type ScheduledPlugin, type ScheduledRunCtx, type StatefulPlugin, type StatefulSnapshot } from '@belfry/plugin-api';
import { consoleLogger, describeValue, errorDetails, parseLogLevel, resolveLogLevel } from '@belfry/internal';
import { jitterFor } from './jitter-for.js';
import { normalizeSchedule, type NormalizedSchedule } from './normalize-schedule.js';
import { occurrenceLockKey } from './occurrence-lock-key.js';
import { planOccurrences } from './plan-occurrences.js';
import { PriorityQueue } from './priority-queue.js';
import { decodeSchedulerState } from './decode-scheduler-state.js';
import { encodeSchedulerState } from './encode-scheduler-state.js';
import type { PersistedScheduleState } from './persisted-schedule-state.js';
import { scheduleKey } from './schedule-key.js';
import type {
  ErrorInfo,
  RegisterScope,
  RunEventBase,
  RunOutcome,
  ScheduleStatus,
  SchedulerEventName,
  SchedulerEvents,
  SchedulerListener,
  SchedulerOptions,
  SchedulerStatus,
  SkipReason,
  StopOptions,
} from './scheduler-types.js';

const DEFAULT_PRIORITY = 1000;

interface Entry extends NormalizedSchedule {
  plugin: ScheduledPlugin;
  pluginName: string;
  key: string;
  priority: number;
  /** Registration order: the last tie-breaker, so equal firings start in a stable order. */
  order: number;
  scope: RegisterScope;
  locked: boolean;
  /** Every occurrence at or before this time has been handled on this node. */
  handledThrough: number | null;
  /** Nominal time of the occurrence the queue is waiting for. */
  pendingAt: number | null;
  paused: boolean;
  running: boolean;
  /** Catch-ups waiting for the current run to end: they run one after another, never skipped as overlap. */
  backlog: Firing[];
  lastScheduledAt: number | null;
  lastRunAt: number | null;
  lastFinishedAt: number | null;
  lastOutcome: RunOutcome | null;
  lastDurationMs: number | null;
  lastError: ErrorInfo | null;
  lastSkipReason: SkipReason | null;
  runCount: number;
  errorCount: number;
  droppedCount: number;
}

/** A queued item: `tick` means "an occurrence is due, work out what to run"; `run` is a firing to start. */
interface Firing {
  type: 'tick' | 'run';
  entry: Entry;
  scheduledAt: number;
  fireAt: number;
  isCatchup: boolean;
  /** Waits behind a running run instead of being skipped as overlap (catch-ups, and the on-time run after them). */
  waits: boolean;
  /** Bumped when the scheduler stops, so items queued before are ignored. */
  epoch: number;
}

interface ActiveRun {
  entry: Entry;
  /** Set when the run has ended, so an in-flight renewal does not schedule another. */
  finished: boolean;
  controller: AbortController;
  handle: LockHandle | null;
  settled: Promise<void>;
  stopTimers: () => void;
  /** Lets the next firing of the same instant start; called once this one has started its run or given up. */
  started: () => void;
}

type State = SchedulerStatus['state'];

function firingBefore(a: Firing, b: Firing): boolean {
  if (a.fireAt !== b.fireAt) return a.fireAt < b.fireAt;
  if (a.entry.priority !== b.entry.priority) return a.entry.priority < b.entry.priority;
  if (a.entry.order !== b.entry.order) return a.entry.order < b.entry.order;
  return a.scheduledAt < b.scheduledAt;
}

function nonNegativeInt(value: unknown, name: string, fallback: number, allowZero = true): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidArgumentError(
      `Scheduler option "${name}" must be a ${allowZero ? 'non-negative' : 'positive'} integer (got ${describeValue(value)})`,
    );
  }
  return value;
}

/**
 * Fires the schedules of registered plugins: one timer over a priority
 * queue, DST-correct cron, per-occurrence locks for exactly-once firing
 * across a cluster, and catch-up of missed occurrences from persisted state.
 * It is itself a `StatefulPlugin`: restore its snapshot before `start()`.
 */
export class Scheduler implements StatefulPlugin {
  readonly id: string;
  readonly nodeId: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly locking: LockingPlugin | undefined;
  private readonly skewToleranceMs: number;
  private readonly lockTtlMs: number;
  private readonly graceMs: number;
  private readonly maxCatchupRuns: number;
  private readonly catchupSpreadMs: number;
  private readonly maxTimerDelayMs: number;

  private state: State = 'idle';
  private epoch = 0;
  private order = 0;
  private readonly plugins = new Map<string, Entry[]>();
  private readonly reservedNames = new Set<string>();
  private readonly entries = new Map<string, Entry>();
  private readonly restored = new Map<string, PersistedScheduleState>();
  private readonly queue = new PriorityQueue<Firing>(firingBefore);
  private cancelTimer: (() => void) | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private timerToken = 0;
  private readonly active = new Set<ActiveRun>();
  private readonly listeners = new Map<SchedulerEventName, Set<(event: never) => void>>();
  private warnedNoBackend = false;
  private stopping: Promise<void> | undefined;

  constructor(options: SchedulerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`Scheduler options must be an object (got ${describeValue(options)})`);
    }
    const clock = options.clock ?? systemClock;
    if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') {
      throw new InvalidArgumentError('Scheduler option "clock" must have now() and setTimer()');
    }
    const logLevel = options.logLevel === undefined ? undefined : parseLogLevel(options.logLevel, 'Scheduler option "logLevel"');
    // Info and above by default: a lost lock race logs a debug line on every node, every firing.
    const logger = options.logger ?? consoleLogger(resolveLogLevel(logLevel));
    if (typeof logger?.warn !== 'function' || typeof logger.error !== 'function' || typeof logger.info !== 'function') {
      throw new InvalidArgumentError('Scheduler option "logger" must have info(), warn() and error()');
    }
    const locking = options.locking;
    if (
      locking !== undefined &&
      (typeof locking?.tryLock !== 'function' || typeof locking.renew !== 'function' || typeof locking.release !== 'function')
    ) {
      throw new InvalidArgumentError('Scheduler option "locking" must be a LockingPlugin (tryLock, renew, release)');
    }
    const nodeId = options.nodeId ?? `${hostname()}:${process.pid}`;
    if (typeof nodeId !== 'string' || nodeId.length === 0) {
      throw new InvalidArgumentError(`Scheduler option "nodeId" must be a non-empty string (got ${describeValue(nodeId)})`);
    }
    const stateId = options.stateId ?? 'belfry.scheduler';
    if (typeof stateId !== 'string' || stateId.length === 0) {
      throw new InvalidArgumentError(`Scheduler option "stateId" must be a non-empty string (got ${describeValue(stateId)})`);
    }
    this.clock = clock;
    this.logger = logger;
    this.locking = locking;
    this.nodeId = nodeId;
    this.id = stateId;
    this.skewToleranceMs = nonNegativeInt(options.skewToleranceMs, 'skewToleranceMs', 5_000);
    this.lockTtlMs = nonNegativeInt(options.lockTtlMs, 'lockTtlMs', 30_000, false);
    this.graceMs = nonNegativeInt(options.missedRunGraceMs, 'missedRunGraceMs', 60_000);
    this.maxCatchupRuns = nonNegativeInt(options.maxCatchupRuns, 'maxCatchupRuns', 100, false);
    this.catchupSpreadMs = nonNegativeInt(options.catchupSpreadMs, 'catchupSpreadMs', 10_000);
    this.maxTimerDelayMs = nonNegativeInt(options.maxTimerDelayMs, 'maxTimerDelayMs', 30_000, false);
  }

  // ---------------------------------------------------------------- registration

  /**
   * Adds a plugin and its schedules. Rejects a duplicate plugin name, a
   * duplicate schedule id, or a schedule that does not parse, naming the
   * plugin and the schedule; nothing of a rejected plugin is registered.
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
    if (this.state === 'stopping' || this.state === 'stopped') {
      throw new InvalidArgumentError(`Cannot register plugin ${JSON.stringify(name)}: the scheduler is ${this.state}`);
    }
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
      if (this.isClosed()) {
        throw new InvalidArgumentError(`Cannot register plugin ${JSON.stringify(name)}: the scheduler is ${this.state}`);
      }
      const entries = normalized.map((schedule) => this.makeEntry(plugin, name, priority, scope, schedule));
      this.plugins.set(name, entries);
      for (const entry of entries) this.entries.set(entry.key, entry);
      if (this.state === 'running') {
        this.warnIfNoBackend(entries);
        const catchups: Firing[] = [];
        const ready: Firing[] = [];
        const now = this.clock.now();
        for (const entry of entries) this.initEntry(entry, now, catchups, ready);
        this.spreadCatchups(catchups, now, ready);
        this.dispatchAll(ready);
        this.arm();
      }
    } catch (error) {
      this.reservedNames.delete(name);
      throw error;
    }
  }

  private makeEntry(plugin: ScheduledPlugin, name: string, priority: number, scope: RegisterScope, schedule: NormalizedSchedule): Entry {
    const locked = this.locking !== undefined && schedule.hint !== 'node_local';
    // Fields listed one by one (no spread) so every entry shares one object shape.
    return {
      schedule: schedule.schedule,
      id: schedule.id,
      parsed: schedule.parsed,
      jitterMs: schedule.jitterMs,
      policy: schedule.policy,
      hint: schedule.hint,
      timeoutMs: schedule.timeoutMs,
      plugin,
      pluginName: name,
      key: scheduleKey(name, schedule.id),
      priority,
      order: this.order++,
      scope: { ...scope },
      locked,
      handledThrough: null,
      pendingAt: null,
      paused: false,
      running: false,
      backlog: [],
      lastScheduledAt: null,
      lastRunAt: null,
      lastFinishedAt: null,
      lastOutcome: null,
      lastDurationMs: null,
      lastError: null,
      lastSkipReason: null,
      runCount: 0,
      errorCount: 0,
      droppedCount: 0,
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts firing. Catch-ups for occurrences missed since the restored snapshot are planned now. */
  async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new InvalidArgumentError(`start() can only be called once, before stop() (the scheduler is ${this.state})`);
    }
    this.state = 'running';
    this.warnIfNoBackend(this.entries.values());
    const now = this.clock.now();
    const catchups: Firing[] = [];
    const ready: Firing[] = [];
    for (const entry of this.entries.values()) this.initEntry(entry, now, catchups, ready);
    this.spreadCatchups(catchups, now, ready);
    this.dispatchAll(ready);
    this.arm();
  }

  /**
   * Stops firing, waits up to `graceMs` for running runs to finish, then
   * aborts the `ctx.signal` of those still going and releases their locks.
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

  private async shutDown(graceMs: number): Promise<void> {
    this.state = 'stopping';
    // Planned firings that never started are not handled: keep them owed, so a restart runs them by policy.
    for (const [entry, earliest] of this.unstartedFirings()) {
      if (entry.handledThrough !== null) entry.handledThrough = Math.min(entry.handledThrough, earliest - 1);
    }
    this.epoch += 1;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
    this.queue.clear();
    for (const entry of this.entries.values()) {
      entry.backlog = [];
      entry.pendingAt = null;
    }
    if (this.active.size > 0) {
      // A zero grace aborts at once: a timer, even of 0 ms, would wait for an injected clock to move.
      if (graceMs > 0) {
        let cancelGrace: () => void = () => undefined;
        const graceOver = new Promise<void>((resolve) => {
          cancelGrace = this.clock.setTimer(resolve, graceMs);
        });
        const allSettled = Promise.all([...this.active].map((run) => run.settled)).then(() => undefined);
        await Promise.race([allSettled, graceOver]);
        cancelGrace();
      }
      const stragglers = [...this.active];
      await Promise.all(
        stragglers.map(async (run) => {
          run.controller.abort(new Error(`Scheduler on node ${this.nodeId} stopped; the ${graceMs} ms grace period is over`));
          run.stopTimers();
          if (run.handle !== null) {
            const handle = run.handle;
            run.handle = null;
            await this.locking?.release(handle).catch((error: unknown) => {
              this.log('warn', 'Releasing a lock at shutdown failed', { key: handle.key, error: errorDetails(error) });
            });
          }
        }),
      );
    }
    this.state = 'stopped';
  }

  // ---------------------------------------------------------------- control

  /**
   * Runs a schedule now, outside its timetable (`scheduledAt` = now).
   * Resolves with the outcome once the run has finished or was skipped.
   */
  trigger(pluginName: string, scheduleId: string): Promise<RunOutcome> {
    const entry = this.find(pluginName, scheduleId, 'trigger');
    if (this.state === 'stopping' || this.state === 'stopped') {
      return Promise.reject(new InvalidArgumentError(`Cannot trigger ${JSON.stringify(pluginName)}/${JSON.stringify(scheduleId)}: the scheduler is ${this.state}`));
    }
    const now = this.clock.now();
    const firing: Firing = { type: 'run', entry, scheduledAt: now, fireAt: now, isCatchup: false, waits: false, epoch: this.epoch };
    if (entry.running) {
      this.recordSkip(firing, 'overlap', true);
      return Promise.resolve('skipped');
    }
    return this.execute(firing, true);
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
    const schedules: ScheduleStatus[] = [...this.entries.values()].map((entry) => {
      const status: ScheduleStatus = {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        expression: entry.parsed.expression,
        timezone: entry.parsed.timezone,
        locking: entry.hint,
        locked: entry.locked,
        missedRunPolicy: entry.policy,
        priority: entry.priority,
        paused: entry.paused,
        running: entry.running,
        nextRunAt: entry.pendingAt,
        lastScheduledAt: entry.lastScheduledAt,
        lastRunAt: entry.lastRunAt,
        lastFinishedAt: entry.lastFinishedAt,
        lastOutcome: entry.lastOutcome,
        lastDurationMs: entry.lastDurationMs,
        lastError: entry.lastError,
        lastSkipReason: entry.lastSkipReason,
        runCount: entry.runCount,
        errorCount: entry.errorCount,
        droppedCount: entry.droppedCount,
      };
      if (entry.schedule.description !== undefined) status.description = entry.schedule.description;
      return status;
    });
    return { nodeId: this.nodeId, state: this.state, locking: this.locking?.name ?? null, schedules };
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends SchedulerEventName>(event: E, listener: SchedulerListener<E>): () => void {
    const names: SchedulerEventName[] = ['run:start', 'run:success', 'run:error', 'run:skip', 'run:dropped'];
    if (!names.includes(event)) {
      throw new InvalidArgumentError(`Unknown scheduler event ${describeValue(event)}; use one of ${names.join(', ')}`);
    }
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError(`Listener for ${event} must be a function (got ${describeValue(listener)})`);
    }
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const stored = listener as (event: never) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  // ---------------------------------------------------------------- state

  /** Captures, per schedule, through when its occurrences were handled. */
  snapshot(): StatefulSnapshot {
    const states = new Map(this.restored);
    const unstarted = this.unstartedFirings();
    for (const entry of this.entries.values()) {
      if (entry.handledThrough === null) continue;
      states.set(entry.key, {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        expression: entry.parsed.expression,
        timezone: entry.parsed.timezone,
        handledThrough: Math.min(entry.handledThrough, (unstarted.get(entry) ?? Number.POSITIVE_INFINITY) - 1),
        lastScheduledAt: entry.lastScheduledAt,
      });
    }
    return encodeSchedulerState(this.id, states.values());
  }

  /** Loads state saved by `snapshot()`. Must be called before `start()`. */
  restoreSnapshot(snapshot: StatefulSnapshot): void {
    if (this.state !== 'idle') {
      throw new InvalidArgumentError(`restoreSnapshot() must be called before start() (the scheduler is ${this.state})`);
    }
    const states = decodeSchedulerState(this.id, snapshot);
    this.restored.clear();
    for (const state of states) this.restored.set(scheduleKey(state.plugin, state.scheduleId), state);
  }

  /**
   * The earliest nominal time, per schedule, of firings planned but not
   * started yet (waiting for jitter, a catch-up slot, or the run before them).
   */
  private unstartedFirings(): Map<Entry, number> {
    const earliest = new Map<Entry, number>();
    const note = (firing: Firing): void => {
      if (firing.type !== 'run' || firing.epoch !== this.epoch) return;
      const known = earliest.get(firing.entry);
      if (known === undefined || firing.scheduledAt < known) earliest.set(firing.entry, firing.scheduledAt);
    };
    for (const firing of this.queue.values()) note(firing);
    for (const entry of this.entries.values()) entry.backlog.forEach(note);
    return earliest;
  }

  // ---------------------------------------------------------------- timing

  private warnIfNoBackend(entries: Iterable<Entry>): void {
    if (this.warnedNoBackend || this.locking !== undefined) return;
    const global = [...entries].filter((entry) => entry.hint === 'require_global');
    if (global.length === 0) return;
    this.warnedNoBackend = true;
    this.log('warn', 
      'Schedules require a global lock but no lock backend is configured; they run on every node that runs them',
      { schedules: global.map((entry) => `${entry.pluginName}/${entry.id}`) },
    );
  }

  /** Puts a newly started or registered schedule in the queue, planning catch-ups from restored state. */
  private initEntry(entry: Entry, now: number, catchups: Firing[], ready: Firing[]): void {
    const saved = this.restored.get(entry.key);
    this.restored.delete(entry.key);
    const fits = saved !== undefined && saved.expression === entry.parsed.expression && saved.timezone === entry.parsed.timezone;
    if (fits && saved.handledThrough < now) {
      entry.handledThrough = saved.handledThrough;
      entry.lastScheduledAt = saved.lastScheduledAt;
      this.plan(entry, now, undefined, catchups, ready);
      return;
    }
    if (fits) entry.lastScheduledAt = saved.lastScheduledAt;
    // A schedule seen for the first time owes nothing from before now.
    entry.handledThrough = Math.max(now, fits ? saved.handledThrough : now);
    this.queueTick(entry, entry.parsed.next(entry.handledThrough));
  }

  private queueTick(entry: Entry, at: number | null): void {
    entry.pendingAt = at;
    if (at === null) return;
    this.queue.push({ type: 'tick', entry, scheduledAt: at, fireAt: at, isCatchup: false, waits: false, epoch: this.epoch });
  }

  /** Sets the one timer for the earliest queued item, never further out than `maxTimerDelayMs`. */
  private arm(): void {
    if (this.state !== 'running') return;
    const now = this.clock.now();
    const top = this.queue.peek();
    const dueAt = Math.min(top === undefined ? Number.POSITIVE_INFINITY : top.fireAt, now + this.maxTimerDelayMs);
    if (this.cancelTimer !== undefined && dueAt === this.timerDueAt) return;
    this.cancelTimer?.();
    this.timerDueAt = dueAt;
    const token = ++this.timerToken;
    this.cancelTimer = this.clock.setTimer(() => this.onTimer(token), Math.max(0, dueAt - now));
  }

  private onTimer(token: number): void {
    // A clock that calls back twice, or late after a re-arm, reaches here with an old token: ignore it.
    if (token !== this.timerToken) return;
    this.timerToken += 1;
    const cancel = this.cancelTimer;
    this.cancelTimer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
    cancel?.();
    if (this.state !== 'running') return;
    try {
      this.tick();
    } catch (error) {
      this.log('error', 'Scheduler tick failed', { error: errorDetails(error) });
    }
    this.arm();
  }

  /**
   * Takes everything due off the queue. Items are only taken when their
   * time has come by the clock, so a timer that fires early does nothing,
   * and a timer that fires twice finds nothing left the second time.
   */
  private tick(): void {
    const now = this.clock.now();
    const catchups: Firing[] = [];
    const ready: Firing[] = [];
    for (let top = this.queue.peek(); top !== undefined && top.fireAt <= now; top = this.queue.peek()) {
      this.queue.pop();
      if (top.epoch !== this.epoch) continue;
      if (top.type === 'run') ready.push(top);
      else if (top.entry.pendingAt === top.scheduledAt) this.plan(top.entry, now, top.scheduledAt, catchups, ready);
    }
    this.spreadCatchups(catchups, now, ready);
    this.dispatchAll(ready);
  }

  /**
   * Decides what to do about the occurrences of one schedule that are due
   * at `now`: the newest one runs as an ordinary (possibly late) firing if
   * it is within the grace window; older ones are missed and handled by the
   * schedule's policy. Then queues the next occurrence.
   */
  private plan(entry: Entry, now: number, popped: number | undefined, catchups: Firing[], ready: Firing[]): void {
    const since = entry.handledThrough ?? now;
    const plan = planOccurrences({
      parsed: entry.parsed,
      policy: entry.policy,
      since,
      now,
      popped,
      graceMs: this.graceMs,
      maxCatchupRuns: this.maxCatchupRuns,
    });
    entry.handledThrough = Math.max(now, since);
    this.queueTick(entry, plan.nextTick);
    if (plan.newest === null) return;
    entry.lastScheduledAt = plan.newest;
    const firing = (scheduledAt: number, isCatchup: boolean): Firing => ({
      type: 'run',
      entry,
      scheduledAt,
      fireAt: now,
      isCatchup,
      waits: isCatchup,
      epoch: this.epoch,
    });
    if (plan.skipped !== null) {
      this.recordSkip(firing(plan.skipped.latest, true), 'missed', false, { missedCount: plan.skipped.count });
    }
    if (plan.dropped !== null) {
      const { count, countIsLowerBound, oldest, newest } = plan.dropped;
      entry.droppedCount += count;
      if (this.listening('run:dropped')) {
        this.emit('run:dropped', { ...this.eventBase(entry, newest, true, false), count, countIsLowerBound, oldestScheduledAt: oldest });
      }
      this.log('warn', 'Missed occurrences beyond the catch-up limit were dropped', {
        plugin: entry.pluginName,
        scheduleId: entry.id,
        count,
        maxCatchupRuns: this.maxCatchupRuns,
      });
    }
    for (const scheduledAt of plan.catchups) catchups.push(firing(scheduledAt, true));
    if (plan.onTime === null) return;
    const onTime = firing(plan.onTime, false);
    if (plan.catchups.length > 0) {
      // Behind a run_all backlog, the on-time run goes last, in order, rather than overtaking it.
      onTime.waits = true;
      catchups.push(onTime);
      return;
    }
    onTime.fireAt = Math.max(now, plan.onTime + jitterFor(entry.pluginName, entry.id, plan.onTime, entry.jitterMs));
    if (onTime.fireAt <= now) ready.push(onTime);
    else this.queue.push(onTime);
  }

  /**
   * Spreads catch-ups found together over `catchupSpreadMs`, lower priority
   * values first, plus each occurrence's own jitter, so a restart storm
   * never starts every catch-up at once.
   */
  private spreadCatchups(catchups: Firing[], now: number, ready: Firing[]): void {
    if (catchups.length === 0) return;
    catchups.sort((a, b) => a.entry.priority - b.entry.priority || a.entry.order - b.entry.order || a.scheduledAt - b.scheduledAt);
    const slots = catchups.length;
    catchups.forEach((firing, rank) => {
      const spread = Math.floor((this.catchupSpreadMs * rank) / slots);
      firing.fireAt = now + spread + jitterFor(firing.entry.pluginName, firing.entry.id, firing.scheduledAt, firing.entry.jitterMs);
      // Each occurrence has its own jitter; a schedule's catch-ups must still start oldest first.
      const previous = catchups[rank - 1];
      if (previous?.entry === firing.entry) firing.fireAt = Math.max(firing.fireAt, previous.fireAt);
      if (firing.fireAt <= now) ready.push(firing);
      else this.queue.push(firing);
    });
  }

  private dispatchAll(ready: Firing[]): void {
    ready.sort((a, b) => (firingBefore(a, b) ? -1 : firingBefore(b, a) ? 1 : 0));
    // Locks are requested together, but runs start in this order: a firing whose lock answers first never overtakes.
    let turn: Promise<void> | undefined;
    for (const firing of ready) turn = this.dispatch(firing, turn) ?? turn;
  }

  /** Starts a firing (after `after`, when given); returns a promise settled once it has started or given up. */
  private dispatch(firing: Firing, after?: Promise<void>): Promise<void> | undefined {
    if (this.state !== 'running' || firing.epoch !== this.epoch) return undefined;
    const entry = firing.entry;
    if (entry.paused) {
      this.recordSkip(firing, 'paused', false);
      return undefined;
    }
    if (entry.running) {
      if (firing.waits) entry.backlog.push(firing);
      else this.recordSkip(firing, 'overlap', false);
      return undefined;
    }
    let started: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => {
      started = resolve;
    });
    this.execute(firing, false, after, started).catch((error: unknown) => {
      this.log('error', 'Scheduled run could not be handled', { plugin: entry.pluginName, scheduleId: entry.id, error: errorDetails(error) });
    });
    return turn;
  }

  // ---------------------------------------------------------------- running

  /**
   * The last moment (on this node's clock) any node might still try to run
   * this occurrence: its ordinary window, or — while it can still be
   * picked as a catch-up — the window of the occurrence that would replace
   * it. The lock is held at least that long plus twice the skew, so a
   * lagging node finds it taken.
   */
  private lastAttemptAt(entry: Entry, scheduledAt: number): number {
    const horizon = entry.policy === 'run_all' ? this.maxCatchupRuns : 1;
    let later = scheduledAt;
    for (let i = 0; i < horizon; i += 1) {
      const next = entry.parsed.next(later);
      if (next === null) break;
      later = next;
    }
    return later + this.graceMs + this.catchupSpreadMs + entry.jitterMs;
  }

  private async execute(firing: Firing, manual: boolean, after?: Promise<void>, started: () => void = () => undefined): Promise<RunOutcome> {
    const entry = firing.entry;
    entry.running = true;
    let resolveSettled: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => {
      resolveSettled = resolve;
    });
    const controller = new AbortController();
    const timers: (() => void)[] = [];
    const active: ActiveRun = {
      entry,
      finished: false,
      controller,
      handle: null,
      settled,
      stopTimers: () => {
        for (const cancel of timers.splice(0)) cancel();
      },
      started,
    };
    this.active.add(active);
    try {
      return await this.runLocked(firing, manual, active, timers, after);
    } finally {
      started();
      active.finished = true;
      active.stopTimers();
      this.active.delete(active);
      entry.running = false;
      resolveSettled();
      this.drainBacklog(entry);
    }
  }

  private async runLocked(firing: Firing, manual: boolean, active: ActiveRun, timers: (() => void)[], after?: Promise<void>): Promise<RunOutcome> {
    const entry = firing.entry;
    const locking = entry.locked ? this.locking : undefined;
    let holdUntil = Number.NEGATIVE_INFINITY;
    const ttl = (): number => Math.max(this.lockTtlMs, Math.ceil(holdUntil - this.clock.now()));
    if (locking !== undefined) {
      // A manual run gets a key of its own so it can never take, or free, a nominal occurrence's marker.
      const key = `${occurrenceLockKey(entry.pluginName, entry.id, firing.scheduledAt)}${manual ? ':manual' : ''}`;
      if (!manual) {
        const lastAttempt = this.lastAttemptAt(entry, firing.scheduledAt);
        if (this.clock.now() > lastAttempt) {
          // Too late to be sure no other node already ran it: its marker may have expired.
          this.recordSkip(firing, 'missed', manual, { missedCount: 1 });
          return 'skipped';
        }
        holdUntil = lastAttempt + 2 * this.skewToleranceMs + this.lockTtlMs;
      }
      try {
        active.handle = await locking.tryLock(key, ttl());
      } catch (error) {
        this.log('warn', 'Lock backend failed; the firing is skipped', {
          plugin: entry.pluginName,
          scheduleId: entry.id,
          scheduledAt: firing.scheduledAt,
          error: errorDetails(error),
        });
        this.recordSkip(firing, 'lock_error', manual, { error: errorDetails(error) });
        return 'skipped';
      }
      if (active.handle === null) {
        // A held key on a catch-up is the marker of a node that already ran (or is running) that occurrence.
        this.recordSkip(firing, firing.isCatchup ? 'already_ran' : 'lock_contended', manual);
        return 'skipped';
      }
    }
    if (after !== undefined) await after;
    if (this.state !== 'running' && !manual) {
      await this.releaseQuietly(active);
      this.recordSkip(firing, 'stopped', manual);
      return 'skipped';
    }
    if (locking !== undefined) {
      const renewEvery = Math.max(1, Math.floor(this.lockTtlMs / 3));
      const renew = (): void => {
        // A renewal that answers after the run ended or was aborted (stop, timeout) must not set another timer.
        if (active.finished || active.controller.signal.aborted) return;
        timers.push(
          this.clock.setTimer(() => {
            const handle = active.handle;
            if (handle === null || active.finished || active.controller.signal.aborted) return;
            locking.renew({ ...handle, ttlMs: ttl() }).then(renew, (error: unknown) => {
              this.log('warn', 'Lost the lock of a running firing; its signal is aborted', {
                plugin: entry.pluginName,
                scheduleId: entry.id,
                scheduledAt: firing.scheduledAt,
                error: errorDetails(error),
              });
              active.controller.abort(error instanceof LockLostError ? error : new LockLostError(handle.key));
            });
          }, renewEvery),
        );
      };
      renew();
    }
    const timeoutMs = entry.timeoutMs;
    if (timeoutMs !== undefined) {
      timers.push(
        this.clock.setTimer(() => {
          const error = new Error(`Run of ${entry.pluginName}/${entry.id} timed out after ${timeoutMs} ms`);
          error.name = 'TimeoutError';
          active.controller.abort(error);
        }, timeoutMs),
      );
    }
    const outcome = await this.callPlugin(firing, manual, active);
    const handle = active.handle;
    if (handle !== null && locking !== undefined && this.clock.now() >= holdUntil) {
      // Past the hold time no node will try this occurrence again, so the key can go.
      await this.releaseQuietly(active);
    }
    return outcome;
  }

  private async releaseQuietly(active: ActiveRun): Promise<void> {
    const handle = active.handle;
    if (handle === null || this.locking === undefined) return;
    active.handle = null;
    try {
      await this.locking.release(handle);
    } catch (error) {
      this.log('warn', 'Releasing a lock failed; it will expire on its own', { key: handle.key, error: errorDetails(error) });
    }
  }

  private async callPlugin(firing: Firing, manual: boolean, active: ActiveRun): Promise<RunOutcome> {
    const entry = firing.entry;
    const startedAt = this.clock.now();
    entry.runCount += 1;
    entry.lastRunAt = startedAt;
    const ctx: ScheduledRunCtx = {
      scheduleId: entry.id,
      scheduledAt: firing.scheduledAt,
      runCount: entry.runCount,
      isCatchup: firing.isCatchup,
      signal: active.controller.signal,
    };
    if (entry.scope.tenantId !== undefined) ctx.tenantId = entry.scope.tenantId;
    if (entry.scope.siteId !== undefined) ctx.siteId = entry.scope.siteId;
    const fence = active.handle?.fence;
    if (fence !== undefined) ctx.fence = fence;
    const base = this.eventBase(entry, firing.scheduledAt, firing.isCatchup, manual);
    if (this.listening('run:start')) {
      this.emit('run:start', fence === undefined ? { ...base, startedAt } : { ...base, startedAt, fence });
    }
    // The next firing continues in a later microtask, so this run is invoked first.
    active.started();
    let failure: unknown;
    let failed = false;
    try {
      await entry.plugin.run(ctx);
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (!failed && active.controller.signal.aborted) {
      // Resolving after a timeout or a lost lock is not a success: the run may have been cut short.
      failed = true;
      failure = active.controller.signal.reason;
    }
    const finishedAt = this.clock.now();
    const durationMs = finishedAt - startedAt;
    entry.lastFinishedAt = finishedAt;
    entry.lastDurationMs = durationMs;
    if (failed) {
      const info = errorDetails(failure);
      entry.errorCount += 1;
      entry.lastOutcome = 'error';
      entry.lastError = info;
      this.log('error', 'Scheduled run failed', { plugin: entry.pluginName, scheduleId: entry.id, scheduledAt: firing.scheduledAt, error: info });
      this.emit('run:error', { ...base, startedAt, durationMs, error: info });
      return 'error';
    }
    entry.lastOutcome = 'success';
    if (this.listening('run:success')) this.emit('run:success', { ...base, startedAt, durationMs });
    return 'success';
  }

  private drainBacklog(entry: Entry): void {
    const next = entry.backlog.shift();
    if (next === undefined) return;
    this.dispatch(next);
  }

  // ---------------------------------------------------------------- internals

  /** A logger that throws must not take a run or the timer down with it. */
  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    try {
      this.logger[level]?.(message, fields);
    } catch {
      // Nothing sensible is left to report it to.
    }
  }

  private isClosed(): boolean {
    return this.state === 'stopping' || this.state === 'stopped';
  }

  private recordSkip(firing: Firing, reason: SkipReason, manual: boolean, extra: { missedCount?: number; error?: ErrorInfo } = {}): void {
    firing.entry.lastSkipReason = reason;
    if (!manual) firing.entry.lastOutcome = 'skipped';
    if (this.listening('run:skip')) {
      this.emit('run:skip', { ...this.eventBase(firing.entry, firing.scheduledAt, firing.isCatchup, manual), reason, ...extra });
    }
    this.log('debug', 'Firing skipped', { plugin: firing.entry.pluginName, scheduleId: firing.entry.id, reason });
  }

  private eventBase(entry: Entry, scheduledAt: number, isCatchup: boolean, manual: boolean): RunEventBase {
    return { plugin: entry.pluginName, scheduleId: entry.id, scheduledAt, nodeId: this.nodeId, isCatchup, manual };
  }

  /** Lets hot paths skip building payloads nobody will read. */
  private listening(event: SchedulerEventName): boolean {
    const set = this.listeners.get(event);
    return set !== undefined && set.size > 0;
  }

  private emit<E extends SchedulerEventName>(event: E, payload: SchedulerEvents[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as SchedulerListener<E>)(payload);
      } catch (error) {
        this.log('warn', `A ${event} listener threw; other listeners still run`, { error: errorDetails(error) });
      }
    }
  }

  private find(pluginName: string, scheduleId: string, method: string): Entry {
    const entry = typeof pluginName === 'string' && typeof scheduleId === 'string' ? this.entries.get(scheduleKey(pluginName, scheduleId)) : undefined;
    if (entry === undefined) {
      throw new InvalidArgumentError(
        `${method}(): no schedule ${describeValue(scheduleId)} registered for plugin ${describeValue(pluginName)}`,
      );
    }
    return entry;
  }

  private select(pluginName: string | undefined, scheduleId: string | undefined, method: string): Entry[] {
    if (pluginName === undefined) {
      if (scheduleId !== undefined) throw new InvalidArgumentError(`${method}(): a schedule id needs a plugin name`);
      return [...this.entries.values()];
    }
    if (scheduleId !== undefined) return [this.find(pluginName, scheduleId, method)];
    const entries = typeof pluginName === 'string' ? this.plugins.get(pluginName) : undefined;
    if (entries === undefined) {
      throw new InvalidArgumentError(`${method}(): no plugin ${describeValue(pluginName)} is registered`);
    }
    return entries;
  }
}
