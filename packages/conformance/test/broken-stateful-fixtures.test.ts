import { describe, expect, it } from 'vitest';
import { brokenStatefulFixtures, faultyStatefulTarget } from '../src/fixtures/index.js';
import { runStatefulSuite, statefulRules } from '../src/index.js';

const allIds = statefulRules.map((rule) => rule.id);

describe.concurrent('the stateful suite against deliberately broken plugins', () => {
  it('has at least 10 rules with stable, unique, ordered ids and one sentence each', () => {
    expect(allIds.length).toBeGreaterThanOrEqual(10);
    expect(new Set(allIds).size).toBe(allIds.length);
    expect([...allIds].sort()).toEqual(allIds);
    for (const rule of statefulRules) {
      expect(rule.id).toMatch(/^STATE-\d{3}$/);
      expect(rule.sentence).not.toMatch(/\.\s|\n/);
    }
  });

  it('passes every rule for the correct reference plugin, so a failure means a broken plugin', async () => {
    const report = await runStatefulSuite(faultyStatefulTarget('reference', {}));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(allIds.length);
  });

  it('ships at least two broken plugins', () => {
    expect(brokenStatefulFixtures.length).toBeGreaterThanOrEqual(2);
  });

  for (const fixture of brokenStatefulFixtures) {
    it(`fails exactly ${fixture.breaks.join(', ')} for the ${fixture.target.name}`, async () => {
      const report = await runStatefulSuite(fixture.target);
      expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(fixture.breaks);
      expect(report.passed).toBe(allIds.length - fixture.breaks.length);
      for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
    });
  }
});

describe('stateful capabilities', () => {
  it('reports the restore rules as not claimed for a plugin that does not claim restore', async () => {
    const report = await runStatefulSuite({ ...faultyStatefulTarget('snapshot only', {}), capabilities: {} });
    const notClaimed = report.results.filter((r) => r.status === 'not_claimed').map((r) => r.id);
    expect(notClaimed).toEqual(['STATE-004', 'STATE-005', 'STATE-006', 'STATE-007', 'STATE-008', 'STATE-009', 'STATE-010', 'STATE-011']);
    expect(report).toMatchObject({ passed: 3, failed: 0 });
  });

  it('fails STATE-009 when the plugin writes a version it does not declare it reads', async () => {
    const report = await runStatefulSuite({ ...faultyStatefulTarget('undeclared', {}), capabilities: { restore: true, readsVersions: [1] } });
    expect(report.results.find((r) => r.id === 'STATE-009')).toMatchObject({
      status: 'fail',
      reason: 'snapshot writes version 2 but the plugin declares it reads only 1',
    });
  });

  it('refuses a target without factory.change and malformed readsVersions', () => {
    const target = faultyStatefulTarget('bad', {});
    expect(() => runStatefulSuite({ ...target, factory: { create: target.factory.create } as typeof target.factory })).toThrow(/factory.change is missing/);
    expect(() => runStatefulSuite({ ...target, capabilities: { restore: true, readsVersions: [0] } })).toThrow(/readsVersions must be/);
  });
});
