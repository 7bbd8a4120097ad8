import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';

/** Fields of a run event the span needs. */
interface RunEventFields {
  plugin: string;
  scheduleId: string;
  scheduledAt: number;
  nodeId: string;
  isCatchup: boolean;
  manual: boolean;
}

/** The attribute names every run span carries. */
export const SPAN_ATTRIBUTES = {
  plugin: 'belfry.plugin',
  schedule: 'belfry.schedule',
  occurrence: 'belfry.occurrence',
  node: 'belfry.node',
  fence: 'belfry.fence',
  outcome: 'belfry.outcome',
  catchup: 'belfry.catchup',
  manual: 'belfry.manual',
} as const;

/**
 * One span per run, from `run:start` to its `run:success` or `run:error`,
 * timed by the scheduler's clock. Until the host registers an OpenTelemetry
 * SDK, the API's no-op tracer makes this free.
 */
export class RunSpans {
  readonly #tracer: Tracer;
  readonly #open = new Map<string, Span>();

  constructor(tracer: Tracer) {
    this.#tracer = tracer;
  }

  start(e: RunEventFields & { startedAt: number; fence?: number }): void {
    const span = this.#tracer.startSpan(`belfry.run ${e.plugin}/${e.scheduleId}`, {
      startTime: e.startedAt,
      attributes: {
        [SPAN_ATTRIBUTES.plugin]: e.plugin,
        [SPAN_ATTRIBUTES.schedule]: e.scheduleId,
        [SPAN_ATTRIBUTES.occurrence]: new Date(e.scheduledAt).toISOString(),
        [SPAN_ATTRIBUTES.node]: e.nodeId,
        [SPAN_ATTRIBUTES.catchup]: e.isCatchup,
        [SPAN_ATTRIBUTES.manual]: e.manual,
        ...(e.fence === undefined ? {} : { [SPAN_ATTRIBUTES.fence]: e.fence }),
      },
    });
    this.#open.set(spanKey(e), span);
  }

  end(e: RunEventFields & { startedAt: number; durationMs: number; error?: { name?: string; message: string } }): void {
    const key = spanKey(e);
    const span = this.#open.get(key);
    if (span === undefined) return;
    this.#open.delete(key);
    span.setAttribute(SPAN_ATTRIBUTES.outcome, e.error === undefined ? 'success' : 'error');
    if (e.error !== undefined) {
      span.recordException({ name: e.error.name ?? 'Error', message: e.error.message }, e.startedAt + e.durationMs);
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
    }
    span.end(e.startedAt + e.durationMs);
  }

  /** Ends spans still open (the scheduler stopped mid-run) so none leaks. */
  endAll(): void {
    for (const span of this.#open.values()) span.end();
    this.#open.clear();
  }
}

/** A run is one occurrence of one schedule; manual runs get their own key, they can overlap a scheduled one. */
function spanKey(e: RunEventFields): string {
  return `${e.plugin}\u0000${e.scheduleId}\u0000${e.scheduledAt}\u0000${e.manual ? 'm' : 's'}`;
}
