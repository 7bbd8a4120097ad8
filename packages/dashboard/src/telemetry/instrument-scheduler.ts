import { trace, type Tracer } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import type { DashboardScheduler } from '../dashboard-types.js';
import { RunMetrics } from './run-metrics.js';
import { RunSpans } from './run-spans.js';
import { registerTickMetrics } from './tick-metrics.js';

/** Options of {@link instrumentScheduler}. */
export interface InstrumentSchedulerOptions {
  /** Where the metrics are registered. Default: a new `Registry` (never prom-client's global one). */
  registry?: Registry;
  /** Tracer for the run spans. Default: `trace.getTracer('@belfry/dashboard')`, a no-op until an SDK is registered. */
  tracer?: Tracer;
  /** Reads `host.status().pollers`, whose jobs' last tick metrics become `belfry_tick_metric`. Default: none. */
  pollers?: () => unknown;
}

/** What {@link instrumentScheduler} returns. */
export interface SchedulerInstrumentation {
  /** The registry holding the metrics: serve `await registry.metrics()` as `registry.contentType`. */
  registry: Registry;
  /** Stops listening to the scheduler and ends any span still open. The metrics stay registered. */
  stop(): void;
}

const SECOND_MS = 1000;

/**
 * Turns a scheduler's events into Prometheus metrics and one OpenTelemetry
 * span per run. Works on any `Scheduler` of `@belfry/scheduler-core`
 * (directly, or `BelfryHost.scheduler`), with or without a dashboard.
 */
export function instrumentScheduler(scheduler: Pick<DashboardScheduler, 'on'>, options: InstrumentSchedulerOptions = {}): SchedulerInstrumentation {
  if (typeof (scheduler as { on?: unknown } | null)?.on !== 'function') {
    throw new InvalidArgumentError(`instrumentScheduler: scheduler must be a Scheduler (with on(event, listener)), got ${describeValue(scheduler)}`);
  }
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`instrumentScheduler: options must be an object { registry?, tracer?, pollers? }, got ${describeValue(options)}`);
  if (options.registry !== undefined && typeof (options.registry as { registerMetric?: unknown }).registerMetric !== 'function') {
    throw new InvalidArgumentError(`instrumentScheduler: options.registry must be a prom-client Registry, got ${describeValue(options.registry)}`);
  }
  if (options.tracer !== undefined && typeof (options.tracer as { startSpan?: unknown }).startSpan !== 'function') {
    throw new InvalidArgumentError(`instrumentScheduler: options.tracer must be an OpenTelemetry Tracer, got ${describeValue(options.tracer)}`);
  }
  if (options.pollers !== undefined && typeof options.pollers !== 'function') {
    throw new InvalidArgumentError(`instrumentScheduler: options.pollers must be a function returning host.status().pollers, got ${describeValue(options.pollers)}`);
  }
  const registry = options.registry ?? new Registry();
  const metrics = new RunMetrics(registry);
  if (options.pollers !== undefined) registerTickMetrics(registry, options.pollers);
  const spans = new RunSpans(options.tracer ?? trace.getTracer('@belfry/dashboard'));
  const labels = (e: { plugin: string; scheduleId: string }) => ({ plugin: e.plugin, schedule: e.scheduleId });

  const unsubscribe = [
    scheduler.on('run:start', (e) => {
      spans.start(e);
      if (!e.isCatchup && !e.manual) metrics.lateness.observe(labels(e), Math.max(0, e.startedAt - e.scheduledAt) / SECOND_MS);
    }),
    scheduler.on('run:success', (e) => {
      spans.end(e);
      metrics.runs.inc({ ...labels(e), outcome: 'success' });
      metrics.duration.observe({ ...labels(e), outcome: 'success' }, e.durationMs / SECOND_MS);
    }),
    scheduler.on('run:error', (e) => {
      spans.end(e);
      metrics.runs.inc({ ...labels(e), outcome: 'error' });
      metrics.duration.observe({ ...labels(e), outcome: 'error' }, e.durationMs / SECOND_MS);
    }),
    scheduler.on('run:skip', (e) => metrics.skips.inc({ ...labels(e), reason: e.reason })),
    scheduler.on('run:dropped', (e) => metrics.dropped.inc(labels(e), e.count)),
  ];
  return {
    registry,
    stop() {
      for (const off of unsubscribe) off();
      spans.endAll();
    },
  };
}
