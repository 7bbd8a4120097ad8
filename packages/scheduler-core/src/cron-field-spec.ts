/** What one cron field accepts, and the hint a message about it ends with. */
export interface CronFieldSpec {
  /** The field's name in messages: `minute`, `day of week` … */
  name: string;
  min: number;
  max: number;
  /** Largest step after `/`: the number of values the field has. */
  maxStep: number;
  /** Three-letter names, the first standing for `min`. */
  names?: readonly string[];
  /** What to write instead, ending every message about the field. */
  hint: string;
}

const SECOND: CronFieldSpec = { name: 'second', min: 0, max: 59, maxStep: 60, hint: 'use 0-59, a list (0,30), a range (10-20) or a step (*/15, 0-30/5)' };
const MINUTE: CronFieldSpec = { ...SECOND, name: 'minute' };
const HOUR: CronFieldSpec = { name: 'hour', min: 0, max: 23, maxStep: 24, hint: 'use 0-23, a list (8,12), a range (9-17) or a step (*/2)' };
const DAY_OF_MONTH: CronFieldSpec = {
  name: 'day of month',
  min: 1,
  max: 31,
  maxStep: 31,
  hint: 'use 1-31, a list, a range, a step (*/2), L (last day), LW (last weekday) or 15W (weekday nearest the 15th)',
};
const MONTH: CronFieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  maxStep: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  hint: 'use 1-12 or JAN-DEC, a list, a range or a step (*/3)',
};
const DAY_OF_WEEK: CronFieldSpec = {
  name: 'day of week',
  min: 0,
  max: 7,
  maxStep: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  hint: 'use 0-7 (0 and 7 are Sunday) or SUN-SAT, a list, a range (MON-FRI), 5L (last Friday) or MON#2 (second Monday)',
};

export const FIVE_FIELDS: readonly CronFieldSpec[] = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
export const SIX_FIELDS: readonly CronFieldSpec[] = [SECOND, ...FIVE_FIELDS];
