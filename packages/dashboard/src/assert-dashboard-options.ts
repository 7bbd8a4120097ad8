import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import type { DashboardOptions } from './dashboard-options.js';

const MIN_TOKEN_LENGTH = 16;
const MIN_UPDATE_INTERVAL_MS = 50;
const MAX_UPDATE_INTERVAL_MS = 60_000;

function fail(what: string): never {
  throw new InvalidArgumentError(`createDashboard: ${what}`);
}

function hasMethods(value: unknown, names: string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/** Checks every option `createDashboard` receives and says which one is wrong and why. */
export function assertDashboardOptions(options: unknown): asserts options is DashboardOptions {
  if (typeof options !== 'object' || options === null) fail(`options must be an object { host, history?, presence?, control?, operatorToken?, … }, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  const host = o.host as Record<string, unknown> | undefined;
  if (!hasMethods(host, ['status']) || !hasMethods(host?.runs, ['recent']) || !hasMethods(host?.scheduler, ['on', 'trigger', 'pause', 'resume'])) {
    fail(`options.host must be a started BelfryHost (status(), runs.recent(), scheduler), got ${describeValue(o.host)}`);
  }
  if (o.history !== undefined && !hasMethods(o.history, ['query'])) fail(`options.history must be a RunHistory { query(filter) }, got ${describeValue(o.history)}`);
  if (o.presence !== undefined && !hasMethods(o.presence, ['list'])) fail(`options.presence must be a Presence { list() }, got ${describeValue(o.presence)}`);
  if (o.control !== undefined && !hasMethods(o.control, ['pause', 'resume', 'paused'])) {
    fail(`options.control must be a Control { pause(target), resume(target), paused() }, got ${describeValue(o.control)}`);
  }
  const token = o.operatorToken;
  if (token !== undefined && (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    // Never echo the token itself: it is a secret even when it is a bad one.
    const shown = typeof token === 'string' ? `a string of ${token.length} characters${/\s/.test(token) ? ' containing whitespace' : ''}` : describeValue(token);
    fail(`options.operatorToken must be a string of at least ${MIN_TOKEN_LENGTH} characters without whitespace, got ${shown}`);
  }
  const hosts = o.allowedHosts;
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((h) => typeof h === 'string' && /^(\*|\[[0-9a-fA-F:.]+\](:\d{1,5})?|[A-Za-z0-9.-]+(:\d{1,5})?)$/.test(h)))) {
    fail(`options.allowedHosts must be a non-empty array of host names ("name" or "name:port", "[v6]" for IPv6, "*" for any), got ${describeValue(hosts)}`);
  }
  if (o.version !== undefined && (typeof o.version !== 'string' || o.version === '')) fail(`options.version must be a non-empty string, got ${describeValue(o.version)}`);
  const metrics = o.metrics;
  if (metrics !== undefined && metrics !== false && !hasMethods(metrics, ['metrics', 'registerMetric'])) {
    fail(`options.metrics must be a prom-client Registry or false, got ${describeValue(metrics)}`);
  }
  if (o.tracer !== undefined && !hasMethods(o.tracer, ['startSpan'])) fail(`options.tracer must be an OpenTelemetry Tracer, got ${describeValue(o.tracer)}`);
  const interval = o.updateIntervalMs;
  if (interval !== undefined && (!Number.isInteger(interval) || (interval as number) < MIN_UPDATE_INTERVAL_MS || (interval as number) > MAX_UPDATE_INTERVAL_MS)) {
    fail(`options.updateIntervalMs must be an integer from ${MIN_UPDATE_INTERVAL_MS} to ${MAX_UPDATE_INTERVAL_MS}, got ${describeValue(interval)}`);
  }
  if (o.clock !== undefined && !hasMethods(o.clock, ['now', 'setTimer'])) fail(`options.clock must be a Clock { now(), setTimer() }, got ${describeValue(o.clock)}`);
}
