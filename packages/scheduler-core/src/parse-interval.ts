import { ScheduleParseError } from '@belfry/plugin-api';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
/** Units in the only order a compound may use them, largest first, so `1h30m` reads one way. */
const UNIT_ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

/**
 * Reads `500ms`, `30s`, `5m`, `2h`, `1d` and compounds such as `1h30m`
 * into a period in ms. Every unit appears at most once, largest first.
 */
export function parseInterval(expression: string, text: string): number {
  if (text.startsWith('-')) {
    throw new ScheduleParseError(expression, 'an interval must be positive, not negative', text);
  }
  const body = text.startsWith('+') ? text.slice(1) : text;
  const token = /(\d+)(ms|d|h|m|s)/gy;
  let periodMs = 0;
  let lastIndex = -1;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    const [whole, digits, unit] = match as unknown as [string, string, Unit];
    const order = UNIT_ORDER.indexOf(unit);
    if (order <= lastIndex) {
      throw new ScheduleParseError(
        expression,
        'units of a compound interval must each appear once, largest first (d, h, m, s, ms)',
        whole,
      );
    }
    lastIndex = order;
    periodMs += Number(digits) * UNIT_MS[unit];
    consumed += whole.length;
  }
  if (consumed !== body.length) {
    const rest = body.slice(consumed);
    throw new ScheduleParseError(
      expression,
      'expected an interval such as 500ms, 30s, 5m, 2h, 1d or 1h30m (units: ms, s, m, h, d)',
      rest,
    );
  }
  if (!Number.isSafeInteger(periodMs)) {
    throw new ScheduleParseError(expression, 'the interval is too long to represent in milliseconds', text);
  }
  if (periodMs === 0) {
    throw new ScheduleParseError(expression, 'an interval must be longer than zero', text);
  }
  return periodMs;
}
