import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { createDashboard, instrumentScheduler, type Dashboard, type DashboardOptions } from '../src/index.js';
import { START, startTestHost } from './real-host.js';
import { sampleValue, scrape } from './scrape.js';

const open: { host: BelfryHost; dashboard: Dashboard }[] = [];
afterEach(async () => {
  for (const { host, dashboard } of open.splice(0)) {
    dashboard.close();
    await host.stop({ graceMs: 0 });
  }
});

async function setUp(extra: Partial<DashboardOptions> = {}) {
  const { host, clock } = await startTestHost();
  const dashboard = createDashboard({ host, ...extra });
  open.push({ host, dashboard });
  return { host, clock, dashboard };
}

/** Labels a series may carry: the plugin and schedule, and the one dimension its name announces. */
const ALLOWED_LABELS = new Set(['plugin', 'schedule', 'outcome', 'reason', 'metric', 'le']);

describe('GET /metrics', () => {
  it('serves runs by outcome, skips by reason and duration and lateness histograms in Prometheus text', async () => {
    const { clock, dashboard, host } = await setUp();
    await clock.advance(40_000);
    host.scheduler.pause('ticker');
    await clock.advance(10_000);
    const { contentType, families, samples } = await scrape(dashboard);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(families.map((f) => `${f.name}:${f.type}`)).toEqual(
      expect.arrayContaining([
        'belfry_runs_total:COUNTER',
        'belfry_skips_total:COUNTER',
        'belfry_run_duration_seconds:HISTOGRAM',
        'belfry_firing_lateness_seconds:HISTOGRAM',
        'belfry_runs_dropped_total:COUNTER',
      ]),
    );
    expect(sampleValue(samples, 'belfry_runs_total', { plugin: 'ticker', schedule: 'tick', outcome: 'success' })).toBe(4);
    expect(sampleValue(samples, 'belfry_runs_total', { plugin: 'flaky', schedule: 'fail', outcome: 'error' })).toBe(2);
    expect(sampleValue(samples, 'belfry_skips_total', { plugin: 'ticker', schedule: 'tick', reason: 'paused' })).toBe(1);
    expect(sampleValue(samples, 'belfry_run_duration_seconds_count', { plugin: 'ticker', schedule: 'tick', outcome: 'success' })).toBe(4);
    expect(sampleValue(samples, 'belfry_run_duration_seconds_bucket', { plugin: 'flaky', schedule: 'fail', outcome: 'error', le: '0.005' })).toBe(2);
    // The manual clock starts every run exactly on time.
    expect(sampleValue(samples, 'belfry_firing_lateness_seconds_bucket', { plugin: 'ticker', schedule: 'tick', le: '0.001' })).toBe(4);
    expect(sampleValue(samples, 'belfry_firing_lateness_seconds_sum', { plugin: 'ticker', schedule: 'tick' })).toBe(0);
    for (const sample of samples) for (const label of Object.keys(sample.labels)) expect({ series: sample.name, label, ok: ALLOWED_LABELS.has(label) }).toMatchObject({ ok: true });
    expect(samples.some((s) => Object.values(s.labels).includes(String(START + 10_000)))).toBe(false);
  });

  it('measures lateness from the nominal time, leaving catch-up and manual runs out', async () => {
    const { host, clock, dashboard } = await setUp();
    await host.scheduler.trigger('ticker', 'tick');
    await clock.advance(10_000);
    const { samples } = await scrape(dashboard);
    expect(sampleValue(samples, 'belfry_firing_lateness_seconds_count', { plugin: 'ticker', schedule: 'tick' })).toBe(1);
    expect(sampleValue(samples, 'belfry_runs_total', { plugin: 'ticker', schedule: 'tick', outcome: 'success' })).toBe(2);
  });

  it('serves each poller job’s last tick metrics from host.status().pollers', async () => {
    const { host } = await startTestHost();
    const pollers = {
      cursorStore: 'file',
      jobs: [
        { id: 'team_calendar', plugin: 'calendar', schedulePlugin: 'poller:calendar', kind: 'google_calendar', lastTick: { outcome: 'ok' }, lastMetrics: { events: 12, bytes: 2048 } },
        { id: 'feed', kind: 'rss', metrics: { items: 3, bad: Number.NaN } },
        { id: 'quiet', kind: 'rss', lastMetrics: null },
      ],
    };
    const dashboard = createDashboard({ host: { runs: host.runs, scheduler: host.scheduler, status: () => ({ ...host.status(), pollers }) } });
    open.push({ host, dashboard });
    const { samples } = await scrape(dashboard);
    const ticks = samples.filter((s) => s.name === 'belfry_tick_metric');
    expect(ticks.map((s) => ({ ...s.labels, value: s.value }))).toEqual([
      { plugin: 'poller:calendar', schedule: 'team_calendar', metric: 'events', value: 12 },
      { plugin: 'poller:calendar', schedule: 'team_calendar', metric: 'bytes', value: 2048 },
      { plugin: 'rss', schedule: 'feed', metric: 'items', value: 3 },
    ]);
  });

  it('registers into the registry the host gives, and /metrics is gone when metrics are off', async () => {
    const registry = new Registry();
    const { clock } = await setUp({ metrics: registry });
    await clock.advance(10_000);
    expect((await registry.getSingleMetricAsString('belfry_runs_total')).split('\n')).toContain('belfry_runs_total{plugin="ticker",schedule="tick",outcome="success"} 1');
    const { dashboard } = await setUp({ metrics: false });
    const response = await dashboard.fetch(new Request('http://127.0.0.1/metrics', { headers: { host: '127.0.0.1' } }));
    expect(response.status).toBe(404);
  });
});

describe('a span per run', () => {
  function recorder() {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    return { exporter, tracer: provider.getTracer('test') };
  }

  it('carries plugin, schedule, occurrence, node, fence and outcome, timed by the scheduler’s clock', async () => {
    const { exporter, tracer } = recorder();
    const { clock } = await setUp({ tracer });
    await clock.advance(20_000);
    const spans = exporter.getFinishedSpans();
    const tick = spans.find((s) => s.attributes['belfry.schedule'] === 'tick' && s.attributes['belfry.occurrence'] === new Date(START + 20_000).toISOString());
    expect(tick).toBeDefined();
    expect(tick!.name).toBe('belfry.run ticker/tick');
    expect(tick!.attributes).toEqual({
      'belfry.plugin': 'ticker',
      'belfry.schedule': 'tick',
      'belfry.occurrence': new Date(START + 20_000).toISOString(),
      'belfry.node': 'node-a',
      'belfry.fence': expect.any(Number),
      'belfry.outcome': 'success',
      'belfry.catchup': false,
      'belfry.manual': false,
    });
    expect(tick!.startTime).toEqual([Math.floor((START + 20_000) / 1000), 0]);
    const failed = spans.filter((s) => s.attributes['belfry.plugin'] === 'flaky');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream said no' });
    expect(failed[0]!.attributes['belfry.outcome']).toBe('error');
    expect(failed[0]!.events.map((e) => e.name)).toEqual(['exception']);
    expect(spans).toHaveLength(3);
  });

  it('works on a bare scheduler without a dashboard, and stops when asked', async () => {
    const { exporter, tracer } = recorder();
    const { host, clock } = await startTestHost();
    try {
      const instrumentation = instrumentScheduler(host.scheduler, { tracer });
      await clock.advance(10_000);
      expect(exporter.getFinishedSpans()).toHaveLength(1);
      instrumentation.stop();
      await clock.advance(10_000);
      expect(exporter.getFinishedSpans()).toHaveLength(1);
      expect((await instrumentation.registry.getSingleMetricAsString('belfry_runs_total')).split('\n')).toContain('belfry_runs_total{plugin="ticker",schedule="tick",outcome="success"} 1');
    } finally {
      await host.stop({ graceMs: 0 });
    }
  });

  it('refuses a scheduler that is not one', () => {
    expect(() => instrumentScheduler({} as never)).toThrow('instrumentScheduler: scheduler must be a Scheduler (with on(event, listener)), got');
  });
});
