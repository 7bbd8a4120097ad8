import { describe, expect, it } from 'vitest';
import { brokenScheduledFixtures, faultyScheduledTarget } from '../src/fixtures/index.js';
import { runScheduledPluginSuite, scheduledPluginRules } from '../src/index.js';

const allIds = scheduledPluginRules.map((rule) => rule.id);

describe.concurrent('the scheduled-plugin suite against deliberately broken plugins', () => {
  it('has rules with stable, unique, ordered ids and one sentence each', () => {
    expect(allIds.length).toBeGreaterThanOrEqual(9);
    expect(new Set(allIds).size).toBe(allIds.length);
    expect([...allIds].sort()).toEqual(allIds);
    for (const rule of scheduledPluginRules) {
      expect(rule.id).toMatch(/^SCHED-\d{3}$/);
      expect(rule.sentence).not.toMatch(/\.\s|\n/);
    }
  });

  it('passes every rule for the correct reference plugin, so a failure means a broken plugin', async () => {
    const report = await runScheduledPluginSuite(faultyScheduledTarget('reference', {}));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  for (const fixture of brokenScheduledFixtures) {
    it(`fails exactly ${fixture.breaks.join(', ')} for the ${fixture.target.name}`, async () => {
      const report = await runScheduledPluginSuite(fixture.target);
      expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(fixture.breaks);
      expect(report.passed).toBe(allIds.length - fixture.breaks.length);
    });
  }

  it('names the schedule and the bad part of an expression that does not parse', async () => {
    const report = await runScheduledPluginSuite(faultyScheduledTarget('bad cron', { badExpression: true }));
    expect(report.results.find((r) => r.id === 'SCHED-004')?.reason).toMatch(/^schedule "digest": Invalid schedule "every tuesday"/);
  });
});

describe('scheduled-plugin capabilities', () => {
  it('reports the run rules as not claimed for a plugin whose run cannot be called in a test', async () => {
    const report = await runScheduledPluginSuite({ ...faultyScheduledTarget('declarations only', {}), capabilities: {} });
    expect(report.results.filter((r) => r.status === 'not_claimed').map((r) => r.id)).toEqual(['SCHED-006', 'SCHED-007', 'SCHED-008', 'SCHED-009']);
    expect(report).toMatchObject({ passed: 5, failed: 0 });
  });

  it('reports SCHED-004 as not claimed when no schedule parser is injected', async () => {
    const { parseSchedule: _omitted, ...target } = faultyScheduledTarget('no parser', { badExpression: true });
    const report = await runScheduledPluginSuite(target);
    expect(report.results.find((r) => r.id === 'SCHED-004')).toMatchObject({ status: 'not_claimed', reason: 'not claimed: parseSchedule' });
    expect(report.failed).toBe(0);
  });

  it('checks expressions with the injected parser, in the schedule time zone', async () => {
    const seen: unknown[] = [];
    const report = await runScheduledPluginSuite({
      ...faultyScheduledTarget('recording parser', {}),
      parseSchedule: (expression, options) => {
        seen.push([expression, options]);
        return { next: (afterMs) => (expression === '15m' ? null : afterMs + 1) };
      },
    });
    expect(seen).toEqual([
      ['0 7 * * 1-5', { timezone: 'Europe/Berlin' }],
      ['15m', {}],
    ]);
    expect(report.results.find((r) => r.id === 'SCHED-004')?.reason).toBe('schedule "sweep": "15m" never fires again');
  });

  it('rejects a misspelled capability naming the likely one', () => {
    expect(() => runScheduledPluginSuite({ ...faultyScheduledTarget('typo', {}), capabilities: { run: true } as never })).toThrow(
      'typo: capabilities has an unknown key "run": did you mean "runs"?',
    );
  });
});
