import { describe, expect, it, test } from 'vitest';
import { brokenCursorStoreFixtures, faultyCursorStoreTarget } from '../src/fixtures/index.js';
import { cursorStoreRules, cursorStoreSuite, runCursorStoreSuite } from '../src/index.js';

const allIds = cursorStoreRules.map((rule) => rule.id);

describe.concurrent('the cursor-store suite against deliberately broken stores', () => {
  it('has rules CURSOR-001 to CURSOR-012 in order, one sentence each', () => {
    expect(allIds).toEqual(Array.from({ length: 12 }, (_, i) => `CURSOR-${String(i + 1).padStart(3, '0')}`));
    for (const rule of cursorStoreRules) expect(rule.sentence).not.toMatch(/\.\s|\n/);
  });

  it('passes every rule for the correct reference store, so a failure means a broken store', async () => {
    const report = await runCursorStoreSuite(faultyCursorStoreTarget('reference', {}));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(allIds.length);
  });

  for (const fixture of brokenCursorStoreFixtures) {
    it(`fails exactly ${fixture.breaks.join(', ')} for the ${fixture.target.name}`, async () => {
      const report = await runCursorStoreSuite(fixture.target);
      expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(fixture.breaks);
      expect(report.passed).toBe(allIds.length - fixture.breaks.length);
      for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
    });
  }
});

describe('cursor-store capabilities', () => {
  it('reports the reopen rule as not claimed for a store that does not claim persistent', async () => {
    const report = await runCursorStoreSuite({ ...faultyCursorStoreTarget('memory only', {}), capabilities: {} });
    expect(report.results.filter((r) => r.status === 'not_claimed').map((r) => [r.id, r.reason])).toEqual([['CURSOR-011', 'not claimed: persistent']]);
    expect(report.failed).toBe(0);
  });

  it('refuses a claimed persistent capability whose factory.reopen is missing, and a misspelled capability', () => {
    const target = faultyCursorStoreTarget('bad claim', {});
    expect(() => runCursorStoreSuite({ ...target, factory: { create: target.factory.create } })).toThrow(/"persistent" is claimed but factory.reopen is missing/);
    expect(() => runCursorStoreSuite({ ...target, capabilities: { persistant: true } as never })).toThrow(/unknown key "persistant": did you mean "persistent"\?/);
  });
});

cursorStoreSuite({ test, describe }, faultyCursorStoreTarget('reference cursor store through vitest', {}));
