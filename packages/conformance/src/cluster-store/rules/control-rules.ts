import type { ControlTarget, PausedTarget } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import { mustRejectInvalid, show } from '../../cursor-store/cursor-steps.js';
import { sameData } from '../cluster-steps.js';
import type { ControlContext } from '../control-context.js';

const NIGHTLY: ControlTarget = { kind: 'schedule', plugin: 'billing', scheduleId: 'nightly' };
const HOURLY: ControlTarget = { kind: 'schedule', plugin: 'billing', scheduleId: 'hourly' };
const CALENDAR: ControlTarget = { kind: 'poller_job', jobId: 'team_calendar' };

/** The targets of a paused list, for comparisons. */
function targets(paused: readonly PausedTarget[]): ControlTarget[] {
  return paused.map((entry) => entry.target);
}

/** Records every list a watcher is told. */
function recorder(): { calls: PausedTarget[][]; listener: (paused: PausedTarget[]) => void; last(): ControlTarget[] | undefined } {
  const calls: PausedTarget[][] = [];
  return {
    calls,
    listener: (paused) => calls.push(paused),
    last: () => (calls.length === 0 ? undefined : targets(calls[calls.length - 1]!)),
  };
}

/** Pausing, resuming and watching across the cluster. */
export const controlRules: Rule<ControlContext>[] = [
  {
    id: 'CONTROL-001',
    sentence: 'nothing is paused in a fresh store',
    async run({ store }) {
      const paused = await store.paused();
      check(sameData(paused, []), `a fresh store listed ${show(paused)} as paused`);
    },
  },
  {
    id: 'CONTROL-002',
    sentence: "a paused target is listed with who paused it, why, and the store clock's time of the pause; options not given stay absent",
    async run({ store, now, shortMs }) {
      const before = await now();
      await store.pause(NIGHTLY, { by: 'ops@example', reason: 'supplier outage — "billing" ünï' });
      await store.pause(CALENDAR);
      const after = await now();
      const paused = await store.paused();
      const withoutTimes = paused.map(({ pausedAt: _at, ...entry }) => entry);
      check(
        sameData(withoutTimes, [{ target: CALENDAR }, { target: NIGHTLY, by: 'ops@example', reason: 'supplier outage — "billing" ünï' }]),
        `after two pauses the store listed ${show(paused)}`,
      );
      for (const entry of paused) {
        check(Number.isSafeInteger(entry.pausedAt) && entry.pausedAt >= before - shortMs && entry.pausedAt <= after + shortMs, `pausedAt ${show(entry.pausedAt)} is not the time of the pause (${before}–${after})`);
      }
    },
  },
  {
    id: 'CONTROL-003',
    sentence: 'a pause set through one instance is listed by another instance on the same backend, and a resume through that one ends it for both',
    async run({ store, peer }) {
      const other = await peer();
      await store.pause(NIGHTLY, { by: 'node-a' });
      check(sameData(targets(await other.paused()), [NIGHTLY]), 'a pause set through one instance was not listed by another');
      await other.resume(NIGHTLY);
      for (const control of [store, other]) check((await control.paused()).length === 0, 'a resume through another instance did not end the pause everywhere');
    },
  },
  {
    id: 'CONTROL-004',
    sentence: 'pausing a paused target replaces who, why and when, and lists it once; resuming a target that is not paused is not an error',
    async run({ store, elapse, shortMs }) {
      await store.pause(NIGHTLY, { by: 'alice', reason: 'first' });
      const first = (await store.paused())[0]!;
      await elapse(2 * shortMs);
      await store.pause(NIGHTLY, { by: 'bob' });
      const paused = await store.paused();
      check(paused.length === 1, `a target paused twice is listed ${paused.length} times`);
      check(paused[0]!.by === 'bob' && paused[0]!.reason === undefined, `pausing again did not replace who and why: ${show(paused[0])}`);
      check(paused[0]!.pausedAt > first.pausedAt, `pausing again did not move pausedAt (${first.pausedAt} then ${paused[0]!.pausedAt})`);
      await store.resume(HOURLY);
      await store.resume(NIGHTLY);
      await store.resume(NIGHTLY);
      check((await store.paused()).length === 0, 'resume did not end the pause');
    },
  },
  {
    id: 'CONTROL-005',
    sentence: 'targets are independent and listed in order: by kind (poller_job before schedule), then by job id, or by plugin and schedule id',
    async run({ store }) {
      const all: ControlTarget[] = [
        CALENDAR,
        NIGHTLY,
        { kind: 'poller_job', jobId: 'billing' },
        HOURLY,
        { kind: 'schedule', plugin: 'alpha', scheduleId: 'z' },
        { kind: 'schedule', plugin: 'billing', scheduleId: 'team_calendar' },
      ];
      for (const target of all) await store.pause(target);
      const expected = [
        { kind: 'poller_job', jobId: 'billing' },
        CALENDAR,
        { kind: 'schedule', plugin: 'alpha', scheduleId: 'z' },
        HOURLY,
        NIGHTLY,
        { kind: 'schedule', plugin: 'billing', scheduleId: 'team_calendar' },
      ];
      check(sameData(targets(await store.paused()), expected), `the store listed ${show(targets(await store.paused()))}, expected ${show(expected)}`);
      await store.resume({ kind: 'poller_job', jobId: 'billing' });
      await store.resume(NIGHTLY);
      const left = targets(await store.paused());
      check(sameData(left, [CALENDAR, { kind: 'schedule', plugin: 'alpha', scheduleId: 'z' }, HOURLY, { kind: 'schedule', plugin: 'billing', scheduleId: 'team_calendar' }]), `resuming two targets left ${show(left)}`);
    },
  },
  {
    id: 'CONTROL-006',
    sentence: 'a new watcher is told the current paused list',
    async run({ store, eventually }) {
      await store.pause(CALENDAR, { by: 'ops' });
      const seen = recorder();
      const stop = store.watch(seen.listener);
      try {
        await eventually(() => sameData(seen.last(), [CALENDAR]), `a new watcher was not told the current list; it was told ${show(seen.calls)}`);
      } finally {
        stop();
      }
    },
  },
  {
    id: 'CONTROL-007',
    sentence: 'a watcher is told of a pause and of a resume made through another instance on the same backend',
    async run({ store, peer, eventually }) {
      const other = await peer();
      const seen = recorder();
      const stop = store.watch(seen.listener);
      try {
        await eventually(() => seen.calls.length > 0, 'a new watcher was never called');
        await other.pause(NIGHTLY, { by: 'node-b', reason: 'maintenance' });
        await eventually(
          () => sameData(seen.calls.at(-1)?.map(({ pausedAt: _at, ...entry }) => entry), [{ target: NIGHTLY, by: 'node-b', reason: 'maintenance' }]),
          `a watcher was not told of a pause set through another instance; it was told ${show(seen.calls)}`,
        );
        await other.resume(NIGHTLY);
        await eventually(() => sameData(seen.last(), []), `a watcher was not told of a resume made through another instance; it was last told ${show(seen.last())}`);
      } finally {
        stop();
      }
    },
  },
  {
    id: 'CONTROL-008',
    sentence: 'after unsubscribing, a watcher is never called again, while other watchers still are; a watcher that throws keeps being called',
    async run({ store, peer, eventually }) {
      const other = await peer();
      const stopped = recorder();
      const witness = recorder();
      let throws = 0;
      const stopStopped = store.watch(stopped.listener);
      const stopWitness = store.watch(witness.listener);
      const stopThrowing = store.watch(() => {
        throws += 1;
        throw new Error('a listener that throws');
      });
      try {
        await eventually(() => stopped.calls.length > 0 && witness.calls.length > 0 && throws > 0, 'new watchers were never called');
        stopStopped();
        stopStopped();
        const callsBefore = stopped.calls.length;
        const throwsBefore = throws;
        await other.pause(HOURLY);
        await eventually(() => sameData(witness.last(), [HOURLY]), `a subscribed watcher was not told of a pause; it was told ${show(witness.calls)}`);
        await eventually(() => throws > throwsBefore, 'a watcher that threw was not called again after the next change');
        check(stopped.calls.length === callsBefore, `an unsubscribed watcher was called again with ${show(stopped.calls.slice(callsBefore))}`);
      } finally {
        stopWitness();
        stopThrowing();
      }
    },
  },
  {
    id: 'CONTROL-009',
    sentence: 'bad arguments (an unknown target kind, a missing or bad plugin, schedule or job id, bad options, a listener that is not a function) are refused with invalid_argument naming the value, and pause nothing',
    async run({ store }) {
      const badTargets: [unknown, string][] = [
        [{ kind: 'cron', plugin: 'a', scheduleId: 'b' }, '"cron"'],
        [{ kind: 'schedule', plugin: '', scheduleId: 'b' }, 'plugin'],
        [{ kind: 'schedule', plugin: 'a' }, 'scheduleId'],
        [{ kind: 'poller_job', jobId: 'Not Valid' }, '"Not Valid"'],
        [{ kind: 'poller_job', jobId: 'ok', plugin: 'x' }, 'plugin'],
        [null, 'null'],
      ];
      for (const [target, shown] of badTargets) {
        await mustRejectInvalid(() => store.pause(target as ControlTarget), shown, `pause(${show(target)})`);
        await mustRejectInvalid(() => store.resume(target as ControlTarget), shown, `resume(${show(target)})`);
      }
      for (const [options, shown] of [[{ by: '' }, 'by'], [{ reason: 5 }, '5'], [{ who: 'x' }, 'who'], ['ops', '"ops"']] as const) {
        await mustRejectInvalid(() => store.pause(NIGHTLY, options as never), shown, `pause with options ${show(options)}`);
      }
      await mustRejectInvalid(async () => store.watch('listener' as never), '"listener"', 'watch("listener")');
      check((await store.paused()).length === 0, 'a refused pause paused something');
    },
  },
];
