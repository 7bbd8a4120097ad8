import { BelfryError } from './belfry-error.js';

/** Longest piece of the expression quoted in the message. */
const SHOWN_CHARS = 80;

/** `text` cut to about 80 characters, saying how long it really is, so a 100 kB expression makes a short message. */
function shown(text: string): string {
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS - 20)}… (${text.length} characters)`;
}

/**
 * A schedule expression or its time zone could not be understood. The
 * message quotes at most about 80 characters of the expression and of the
 * bad part; the `expression` and `part` fields keep them whole.
 */
export class ScheduleParseError extends BelfryError {
  /** The whole expression as given. */
  readonly expression: string;
  /** The part of it that is wrong, when one can be singled out. */
  readonly part: string | undefined;

  constructor(expression: string, reason: string, part?: string) {
    const where = part === undefined ? '' : ` (at ${JSON.stringify(shown(part))})`;
    super('schedule_parse', `Invalid schedule ${JSON.stringify(shown(expression))}${where}: ${reason}`);
    this.expression = expression;
    this.part = part;
  }
}
