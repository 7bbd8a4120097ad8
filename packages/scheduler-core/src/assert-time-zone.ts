import { ScheduleParseError } from '@belfry/plugin-api';

const known = new Set<string>(['UTC']);

/** Throws a `ScheduleParseError` unless `timezone` is an IANA zone this runtime knows. */
export function assertTimeZone(expression: string, timezone: string): void {
  if (known.has(timezone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleParseError(
      expression,
      `unknown time zone; use an IANA name such as "Europe/Berlin" or "UTC"`,
      timezone,
    );
  }
  known.add(timezone);
}
