import { LOCKING_HINTS, MISSED_RUN_POLICIES, type Schedule } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import type { ScheduledContext } from '../scheduled-context.js';

/** The manifest's plugin id pattern: names become lock-key and state prefixes. */
const PLUGIN_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const POLICIES: readonly string[] = MISSED_RUN_POLICIES;
const HINTS: readonly string[] = LOCKING_HINTS;

async function schedulesOf(context: ScheduledContext): Promise<Schedule[]> {
  const schedules = await context.plugin.schedules();
  check(Array.isArray(schedules), `schedules() returned ${typeof schedules}, not an array`);
  return schedules;
}

export const declarationRules: Rule<ScheduledContext>[] = [
  {
    id: 'SCHED-001',
    sentence: 'the plugin name is a valid plugin id, the same on every fresh instance, and priority, when set, is a finite number',
    async run({ plugin, fresh }) {
      check(typeof plugin.name === 'string' && PLUGIN_NAME.test(plugin.name), `name ${JSON.stringify(plugin.name)} does not match ${PLUGIN_NAME.source}`);
      const other = await fresh();
      check(other.name === plugin.name, `a fresh instance is named ${JSON.stringify(other.name)}, not ${JSON.stringify(plugin.name)}`);
      check(plugin.priority === undefined || Number.isFinite(plugin.priority), `priority ${String(plugin.priority)} is not a finite number`);
    },
  },
  {
    id: 'SCHED-002',
    sentence: 'schedules() resolves a non-empty array of plain data that survives a JSON round trip unchanged',
    async run(context) {
      const schedules = await schedulesOf(context);
      check(schedules.length > 0, 'schedules() returned an empty array');
      const copy: unknown = JSON.parse(JSON.stringify(schedules));
      check(deepEqual(copy, schedules), 'a schedule changes through JSON: it holds a function, a class instance, undefined in an array, or a non-finite number');
    },
  },
  {
    id: 'SCHED-003',
    sentence: 'schedule ids are non-empty strings, unique within the plugin, and the same on every call and every fresh instance',
    async run(context) {
      const ids = (await schedulesOf(context)).map((s) => s.id);
      for (const id of ids) check(typeof id === 'string' && id.length > 0, `schedule id ${JSON.stringify(id)} is not a non-empty string`);
      const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
      check(duplicate === undefined, `schedule id ${JSON.stringify(duplicate)} is declared twice`);
      const again = (await context.plugin.schedules()).map((s) => s.id);
      const elsewhere = (await (await context.fresh()).schedules()).map((s) => s.id);
      check(JSON.stringify(again) === JSON.stringify(ids), `a second schedules() call gave ids ${JSON.stringify(again)}, the first ${JSON.stringify(ids)}`);
      check(JSON.stringify(elsewhere) === JSON.stringify(ids), `a fresh instance gave ids ${JSON.stringify(elsewhere)}, the first ${JSON.stringify(ids)}`);
    },
  },
  {
    id: 'SCHED-004',
    sentence: 'every schedule gives exactly one of cron and at; a cron expression parses in its time zone and has a next occurrence, an at is an instant',
    requires: ['parseSchedule'],
    async run(context) {
      const { parseSchedule } = context;
      for (const schedule of await schedulesOf(context)) {
        const where = `schedule ${JSON.stringify(schedule.id)}`;
        check((schedule.cron === undefined) !== (schedule.at === undefined), `${where}: give exactly one of cron and at`);
        if (schedule.cron === undefined) {
          check(!Number.isNaN(Date.parse(String(schedule.at))), `${where}: at ${JSON.stringify(schedule.at)} is not an instant`);
          continue;
        }
        let next: number | null;
        try {
          next = parseSchedule(schedule.cron, schedule.timezone === undefined ? {} : { timezone: schedule.timezone }).next(Date.now());
        } catch (error) {
          throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
        }
        check(next !== null, `${where}: ${JSON.stringify(schedule.cron)} never fires again`);
      }
    },
  },
  {
    id: 'SCHED-005',
    sentence: 'optional schedule fields hold valid values: jitterMs a non-negative integer, timeoutMs a positive integer, missedRunPolicy and locking among their values',
    async run(context) {
      for (const s of await schedulesOf(context)) {
        const where = `schedule ${JSON.stringify(s.id)}`;
        check(s.jitterMs === undefined || (Number.isInteger(s.jitterMs) && s.jitterMs >= 0), `${where}: jitterMs ${String(s.jitterMs)} is not a non-negative integer`);
        check(s.timeoutMs === undefined || (Number.isInteger(s.timeoutMs) && s.timeoutMs > 0), `${where}: timeoutMs ${String(s.timeoutMs)} is not a positive integer`);
        check(s.missedRunPolicy === undefined || POLICIES.includes(s.missedRunPolicy), `${where}: missedRunPolicy ${JSON.stringify(s.missedRunPolicy)} is not one of ${POLICIES.join(', ')}`);
        check(s.locking === undefined || HINTS.includes(s.locking), `${where}: locking ${JSON.stringify(s.locking)} is not one of ${HINTS.join(', ')}`);
        check(s.description === undefined || typeof s.description === 'string', `${where}: description is not a string`);
      }
    },
  },
];

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(b) !== Object.prototype && !Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysB.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
