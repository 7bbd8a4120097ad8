import { describe, expect, it } from 'vitest';
import { brokenLockingFixtures, faultyLockingTarget } from '../src/fixtures/index.js';
import { lockingRules, runLockingSuite } from '../src/index.js';

const allIds = lockingRules.map((rule) => rule.id);

function failedIds(report: Awaited<ReturnType<typeof runLockingSuite>>): string[] {
  return report.results.filter((r) => r.status === 'fail').map((r) => r.id);
}

describe.concurrent('the locking suite against deliberately broken backends', () => {
  it('has at least 15 rules with stable, unique, ordered ids and one sentence each', () => {
    expect(allIds.length).toBeGreaterThanOrEqual(15);
    expect(new Set(allIds).size).toBe(allIds.length);
    for (const rule of lockingRules) {
      expect(rule.id).toMatch(/^LOCK-\d{3}$/);
      expect(rule.sentence).not.toMatch(/\.\s|\n/);
    }
  });

  it('passes every rule for the correct reference backend, so a failure means a broken backend', async () => {
    const report = await runLockingSuite(faultyLockingTarget('reference', {}));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(allIds.length);
  });

  for (const fixture of brokenLockingFixtures) {
    it(`fails exactly ${fixture.breaks.join(', ')} for the ${fixture.target.name}`, async () => {
      const report = await runLockingSuite(fixture.target);
      expect(failedIds(report)).toEqual(fixture.breaks);
      expect(report.passed).toBe(allIds.length - fixture.breaks.length);
      for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
    });
  }
});

describe('capabilities', () => {
  it('reports rules whose capabilities are not claimed as not claimed, never as passed', async () => {
    const target = faultyLockingTarget('no optional capabilities', {});
    const report = await runLockingSuite({ ...target, capabilities: {} });
    const notClaimed = report.results.filter((r) => r.status === 'not_claimed');
    expect(notClaimed.map((r) => [r.id, r.reason])).toEqual([
      ['LOCK-014', 'not claimed: fences'],
      ['LOCK-022', 'not claimed: peers'],
      ['LOCK-023', 'not claimed: unreachable'],
      ['LOCK-024', 'not claimed: unreachable'],
    ]);
    expect(report.failed).toBe(0);
  });

  it('refuses a claimed capability whose factory function is missing', () => {
    const target = faultyLockingTarget('bad claim', {});
    expect(() => runLockingSuite({ ...target, factory: { create: target.factory.create }, capabilities: { peers: true } })).toThrow(
      /"peers" is claimed but factory.createPeer is missing/,
    );
  });
});
