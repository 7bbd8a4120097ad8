import { BelfryError } from './belfry-error.js';

/** A schedule expression or its time zone could not be understood. */
export class ScheduleParseError extends BelfryError {
  /** The whole expression as given. */
  readonly expression: string;
  /** The part of it that is wrong, when one can be singled out. */
  readonly part: string | undefined;

  constructor(expression: string, reason: string, part?: string) {
    const where = part === undefined ? '' : ` (at ${JSON.stringify(part)})`;
    super('schedule_parse', `Invalid schedule ${JSON.stringify(expression)}${where}: ${reason}`);
    this.expression = expression;
    this.part = part;
  }
}
