import { ScheduleParseError } from '@belfry/plugin-api';
import { shownText } from './shown-text.js';

/**
 * A `ScheduleParseError` whose message quotes at most about 80 characters of
 * the expression and the bad part, so a 100 kB expression makes a short
 * message; the error's `expression` and `part` fields keep them whole.
 */
export function parseFailure(expression: string, reason: string, part?: string): ScheduleParseError {
  const error = new ScheduleParseError(shownText(expression), reason, part === undefined ? undefined : shownText(part));
  (error as { expression: string }).expression = expression;
  (error as { part: string | undefined }).part = part;
  return error;
}
