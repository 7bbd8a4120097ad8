import { MemoryLocking } from '@belfry/locking-memory';
import type { Schedule, ScheduledRunCtx } from '@belfry/plugin-api';
import { ManualClock, Scheduler, type SchedulerOptions } from '../src/index.js';
import { RecordingLogger, T0 } from './support.js';

export interface ClusterRun {
  node: string;
  scheduleId: string;
  scheduledAt: number;
  isCatchup: boolean;
  /** True time at which the run started. */
  at: number;
}

export interface Node {
  name: string;
  skewMs: number;
  clock: ManualClock;
  scheduler: Scheduler;
}

/**
 * Several schedulers sharing one MemoryLocking. The backend runs on the
 * true clock; each node's clock is the true time plus its skew, and all
 * clocks move together.
 */
export class Cluster {
  readonly truth = new ManualClock(T0);
  readonly locking = new MemoryLocking({ clock: this.truth });
  readonly nodes: Node[] = [];
  readonly runs: ClusterRun[] = [];

  constructor(
    private readonly schedules: Schedule[],
    private readonly work: (ctx: ScheduledRunCtx, node: Node) => Promise<void> | void = () => undefined,
    private readonly options: SchedulerOptions = {},
  ) {}

  async addNode(name: string, skewMs: number, restore?: Uint8Array, { start = true }: { start?: boolean } = {}): Promise<Node> {
    const clock = new ManualClock(this.truth.now() + skewMs);
    const scheduler = new Scheduler({ clock, locking: this.locking, logger: new RecordingLogger(), nodeId: name, ...this.options });
    const node: Node = { name, skewMs, clock, scheduler };
    if (restore !== undefined) scheduler.restoreSnapshot({ id: scheduler.id, version: 1, bytes: restore });
    await scheduler.register({
      name: 'job',
      schedules: () => this.schedules,
      run: async (ctx) => {
        this.runs.push({ node: name, scheduleId: ctx.scheduleId, scheduledAt: ctx.scheduledAt, isCatchup: ctx.isCatchup, at: this.truth.now() });
        await this.work(ctx, node);
      },
    });
    if (start) await scheduler.start();
    this.nodes.push(node);
    return node;
  }

  /** Moves true time and every node's clock forward together in small steps. */
  async advance(ms: number, stepMs = 250): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      const step = Math.min(stepMs, ms - done);
      await this.truth.advance(step);
      for (const node of this.nodes) await node.clock.advance(step);
    }
  }

  async removeNode(node: Node): Promise<Uint8Array> {
    const stopping = node.scheduler.stop({ graceMs: 0 });
    await node.clock.advance(0);
    await stopping;
    this.nodes.splice(this.nodes.indexOf(node), 1);
    return (await node.scheduler.snapshot()).bytes;
  }

  /** How many times each occurrence ran, keyed by `scheduleId@iso`. */
  countsByOccurrence(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const run of this.runs) {
      const key = `${run.scheduleId}@${new Date(run.scheduledAt).toISOString()}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }
}
