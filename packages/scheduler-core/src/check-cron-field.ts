import { ScheduleParseError } from '@belfry/plugin-api';
import type { CronFieldSpec } from './cron-field-spec.js';
import { shownText } from './shown-text.js';

const q = (text: string): string => JSON.stringify(shownText(text));

/**
 * Checks one cron field against the syntax Belfry documents, so a mistake
 * is reported in Belfry's words, naming the field and what to write,
 * before the cron engine sees it.
 *
 * @throws ScheduleParseError with the whole field as `part`.
 */
export function checkCronField(expression: string, field: string, spec: CronFieldSpec): void {
  const reason = fieldProblem(field, spec);
  if (reason !== undefined) throw new ScheduleParseError(expression, `${spec.name} field: ${reason}`, field);
}

function fieldProblem(field: string, spec: CronFieldSpec): string | undefined {
  let body = field;
  if (body.startsWith('+')) {
    if (spec.name !== 'day of week') return '+ is allowed only before the day of week field (0 0 13 * +FRI: the 13th when it is a Friday)';
    body = body.slice(1);
    if (body === '') return '+ needs days after it, as in +FRI';
    if (body.startsWith('+')) return '+ may appear only once, at the start of the field';
  }
  const items = body.split(',');
  for (const item of items) {
    if (item === '') return `${q(field)} has an empty list item; remove the extra comma`;
    if (spec.name === 'day of month' && items.length > 1 && item.toUpperCase() === 'LW') {
      return 'LW stands alone (the last weekday of the month), not in a list';
    }
    const problem = itemProblem(item, spec);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function itemProblem(item: string, spec: CronFieldSpec): string | undefined {
  const upper = item.toUpperCase();
  if (spec.name === 'day of month') {
    if (upper === 'L' || upper === 'LW') return undefined;
    if (upper.startsWith('L')) return `${q(item)}: L stands alone for the last day of the month (no offset, range or step); ${spec.hint}`;
    if (upper.includes('W')) {
      const day = /^(\d+)W$/.exec(upper)?.[1];
      if (day === undefined) return `${q(item)}: W follows a single day, as in 15W (the weekday nearest the 15th)`;
      return valueProblem(day, spec);
    }
  }
  if (spec.name === 'day of week') {
    if (upper.includes('#')) {
      const [days = '', nth, extra] = upper.split('#');
      if (days === '' || extra !== undefined) return `${q(item)}: # goes between a day and its week in the month, as in MON#2 (second Monday)`;
      if (!/^([1-5]|L)$/.test(nth ?? '')) return `${q(item)}: the number after # is the week in the month, 1-5 or L (last), as in MON#2`;
      return rangeProblem(item.slice(0, days.length), spec);
    }
    if (upper.endsWith('L')) {
      if (upper === 'L') return '"L" needs a day before it: 5L or FRIL is the last Friday of the month';
      return rangeProblem(item.slice(0, -1), spec);
    }
  }
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return `${q(item)} has more than one /; ${spec.hint}`;
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `${q(item)}: the step after / must be a whole number from 1 to ${spec.maxStep}`;
    const size = Number(step);
    if (size < 1 || size > spec.maxStep) return `${q(item)}: the step must be from 1 to ${spec.maxStep}`;
    if (range !== '*' && range !== '?' && !range.includes('-')) {
      return `${q(item)}: a step needs * or a range before it: */${shownText(step)} or ${shownText(range)}-${spec.max}/${shownText(step)}`;
    }
  }
  if (range === '*' || range === '?') return undefined;
  return rangeProblem(range, spec);
}

/** A single value or `low-high`. */
function rangeProblem(range: string, spec: CronFieldSpec): string | undefined {
  if (!range.includes('-')) return valueProblem(range, spec);
  const ends = range.split('-');
  const [low = '', high = ''] = ends;
  if (ends.length !== 2 || low === '' || high === '') {
    return `${q(range)} is not a range; write low-high, as in ${spec.names === undefined ? `${spec.min}-${spec.min + 4}` : `${spec.names[1]}-${spec.names[4]}`}`;
  }
  const problem = valueProblem(low, spec) ?? valueProblem(high, spec);
  if (problem !== undefined) return problem;
  const from = valueOf(low, spec);
  // SUN ends a range as day 7, so SAT-SUN is Saturday and Sunday.
  const to = spec.name === 'day of week' && high.toUpperCase() === 'SUN' ? 7 : valueOf(high, spec);
  if (from > to) return `${q(range)} runs backwards; write the low value first (${shownText(high)}-${shownText(low)})`;
  return undefined;
}

function valueProblem(token: string, spec: CronFieldSpec): string | undefined {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    return value < spec.min || value > spec.max ? `value ${token} is out of range ${spec.min}-${spec.max}` : undefined;
  }
  if (spec.names !== undefined && /^[a-z]+$/i.test(token)) {
    if (spec.names.includes(token.toUpperCase())) return undefined;
    const kind = spec.name === 'month' ? 'month' : 'day';
    return `${q(token)} is not a ${kind} name; use ${spec.names.join(', ')} or numbers ${spec.min}-${spec.max}`;
  }
  return `${q(token)} is not a number; ${spec.hint}`;
}

function valueOf(token: string, spec: CronFieldSpec): number {
  if (/^\d+$/.test(token)) return Number(token);
  return (spec.names?.indexOf(token.toUpperCase()) ?? 0) + spec.min;
}
