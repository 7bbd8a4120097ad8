import type { JsonValue } from '@belfry/plugin-api';
import { describeValue, jsonProblem } from '@belfry/internal';
import type { TickAck } from './messages.js';

/** Longest metric map a TickAck may carry; a bound on what one tick can make the host record. */
const MAX_METRICS = 100;

/**
 * Checks a tick's reply against the TickAck shape: `{ cursor, metrics? }`
 * with `cursor` plain JSON (null for none) and `metrics` a map of at most
 * 100 finite numbers. Returns the ack or the reason it is not one.
 */
export function parseTickAck(value: unknown): { ok: true; ack: TickAck } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `a TickAck must be an object { cursor, metrics? }, got ${describeValue(value)}` };
  }
  const reply = value as Record<string, unknown>;
  if (!('cursor' in reply) || reply['cursor'] === undefined) {
    return { ok: false, reason: 'a TickAck must have a "cursor" (null when there is nothing to resume from)' };
  }
  const unknownKey = Object.keys(reply).find((key) => key !== 'cursor' && key !== 'metrics');
  if (unknownKey !== undefined) return { ok: false, reason: `a TickAck has only "cursor" and "metrics", got ${JSON.stringify(unknownKey.slice(0, 40))}` };
  const cursorProblem = jsonProblem(reply['cursor'], 'cursor');
  if (cursorProblem !== null) return { ok: false, reason: cursorProblem };
  const ack: TickAck = { cursor: reply['cursor'] as JsonValue };
  const metrics = reply['metrics'];
  if (metrics === undefined) return { ok: true, ack };
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    return { ok: false, reason: `metrics must be an object of finite numbers, got ${describeValue(metrics)}` };
  }
  const entries = Object.entries(metrics);
  if (entries.length > MAX_METRICS) return { ok: false, reason: `metrics may hold at most ${MAX_METRICS} values, got ${entries.length}` };
  const checked: Record<string, number> = {};
  for (const [name, metric] of entries) {
    if (typeof metric !== 'number' || !Number.isFinite(metric)) {
      return { ok: false, reason: `metrics.${name} must be a finite number, got ${describeValue(metric)}` };
    }
    checked[name] = metric;
  }
  return { ok: true, ack: { ...ack, metrics: checked } };
}
