import { Cron } from 'croner';
import { ScheduleParseError } from '@belfry/plugin-api';
import { checkCronField } from './check-cron-field.js';
import { cronNext } from './cron-next.js';
import { FIVE_FIELDS, SIX_FIELDS, type CronFieldSpec } from './cron-field-spec.js';
import { shownText } from './shown-text.js';

/** The shortcuts classic cron understands; `@reboot` is not a time and is refused. */
const SHORTCUTS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A compiled cron expression: the first run strictly after, or the last strictly before, a time. */
export interface CronStepper {
  next(afterMs: number): number | null;
  previous(beforeMs: number): number | null;
}

/**
 * Compiles 5- or 6-field cron (or an `@` shortcut) with croner, after
 * checking field count and numeric ranges itself so every error names the
 * field and the value that is wrong.
 */
export function parseCron(expression: string, text: string, timezone: string): CronStepper {
  let pattern = text;
  if (text.startsWith('@')) {
    const mapped = SHORTCUTS[text.toLowerCase()];
    if (mapped === undefined) {
      throw new ScheduleParseError(expression, `unknown shortcut; use one of ${Object.keys(SHORTCUTS).join(', ')}`, text);
    }
    pattern = mapped;
  }
  const fields = pattern.split(/\s+/);
  if (fields.length === 1 && /^\d+$/.test(text)) {
    throw new ScheduleParseError(expression, 'a bare number is not a schedule; give an interval with a unit (30s, 5m) or cron fields', text);
  }
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleParseError(expression, fieldCountReason(text, fields.length));
  }
  const specs = fields.length === 6 ? SIX_FIELDS : FIVE_FIELDS;
  fields.forEach((field, index) => checkCronField(expression, field, specs[index] as CronFieldSpec));

  let compiledCron: CompiledCron;
  try {
    compiledCron = compile(pattern, timezone);
  } catch {
    throw explain(expression, fields, specs, timezone);
  }
  const { cron } = compiledCron;
  return {
    next: (afterMs) => compiledCron.next(afterMs),
    previous: (beforeMs) => {
      const [previous] = cron.previousRuns(1, new Date(beforeMs));
      return previous === undefined ? null : previous.getTime();
    },
  };
}

/**
 * Compiled patterns by zone and text. A croner pattern holds tables of about
 * 10,000 entries (one per possible year), so thousands of schedules that
 * share an expression share one compiled copy. Croner's `nextRun` and
 * `previousRuns` keep no state on an unscheduled job, so sharing is safe.
 */
const compiled = new Map<string, CompiledCron>();
const MAX_COMPILED = 2_000;

/**
 * A compiled pattern with its last `next` answer remembered. A burst asks
 * every schedule sharing the pattern for the occurrence after the same
 * instant, and asks again when bounding each one's lock: each answer is a
 * calendar search, and `next` is pure, so one search serves them all.
 */
class CompiledCron {
  private lastAfter = Number.NaN;
  private lastNext: number | null = null;

  constructor(
    readonly cron: Cron,
    /** Day of week is `*` (see `cronNext`). */
    private readonly anyWeekday: boolean,
  ) {}

  next(afterMs: number): number | null {
    if (afterMs !== this.lastAfter) {
      this.lastNext = cronNext(this.cron, afterMs, this.anyWeekday);
      this.lastAfter = afterMs;
    }
    return this.lastNext;
  }
}

function compile(pattern: string, timezone: string): CompiledCron {
  const key = `${timezone}\u0000${pattern}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  // Vixie cron ORs day-of-month and day-of-week only when neither field starts
  // with `*`; croner ORs unless a field is exactly `*`, so `*/7` needs AND here.
  const fields = pattern.split(/\s+/);
  const days = fields.length === 6 ? fields.slice(3, 6) : fields.slice(2, 5);
  const domAndDow = /^[*?]/.test(days[0] ?? '') || /^[*?]/.test(days[2] ?? '');
  // UTC needs no zone database lookups; croner's fixed-offset path is the same arithmetic, faster.
  const cron =
    timezone === 'UTC'
      ? new Cron(pattern, { utcOffset: 0, mode: '5-or-6-parts', domAndDow })
      : new Cron(pattern, { timezone, mode: '5-or-6-parts', domAndDow });
  if (compiled.size >= MAX_COMPILED) {
    // Forget the oldest entry; schedules already parsed keep their own reference.
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  const entry = new CompiledCron(cron, /^[*?]$/.test(fields[fields.length - 1] as string));
  compiled.set(key, entry);
  return entry;
}

/** Text made only of numbers and units (`1h30`, `30 s`) was meant as an interval. */
function fieldCountReason(text: string, count: number): string {
  if (/^[+-]?\d+\s*(ms|[smhd])(\s*\d+\s*(ms|[smhd])?)*$/i.test(text)) {
    return /\s/.test(text)
      ? 'an interval is written with no spaces, a unit after every number, largest unit first: 30s, 5m, 1h30m'
      : 'an interval needs a unit after every number, largest unit first: 30s, 5m, 1h30m (units: ms, s, m, h, d)';
  }
  return `cron needs 5 fields (minute, hour, day of month, month, day of week) or 6 with second first; got ${count}`;
}

/**
 * The field the cron engine objects to, found by compiling each field alone
 * against wildcards. The engine's own words are not passed on: they name
 * its internals, not the user's mistake.
 */
function explain(expression: string, fields: readonly string[], specs: readonly CronFieldSpec[], timezone: string): ScheduleParseError {
  for (let index = 0; index < fields.length; index += 1) {
    const probe = fields.map((_, other) => (other === index ? (fields[index] as string) : '*'));
    try {
      compile(probe.join(' '), timezone);
    } catch {
      const spec = specs[index] as CronFieldSpec;
      return new ScheduleParseError(expression, `${spec.name} field: ${JSON.stringify(shownText(fields[index] as string))} is not a form cron accepts; ${spec.hint}`, fields[index]);
    }
  }
  return new ScheduleParseError(expression, 'these fields do not combine into a valid cron expression; check each against the syntax in the README');
}
