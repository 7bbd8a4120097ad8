import { describe, expect, it, test } from 'vitest';
import {
  brokenControlFixtures,
  brokenPresenceFixtures,
  brokenRunHistoryFixtures,
  faultyControlTarget,
  faultyPresenceTarget,
  faultyRunHistoryTarget,
} from '../src/fixtures/index.js';
import {
  controlRules,
  controlSuite,
  historyRules,
  historySuite,
  presenceRules,
  presenceSuite,
  runControlSuite,
  runHistorySuite,
  runPresenceSuite,
  type SuiteReport,
} from '../src/index.js';

interface Kind {
  prefix: string;
  rules: readonly { id: string; sentence: string }[];
  count: number;
  reference(): Promise<SuiteReport>;
  fixtures: readonly { target: unknown; breaks: string[] }[];
  run(target: never): Promise<SuiteReport>;
}

const kinds: Kind[] = [
  { prefix: 'HISTORY', rules: historyRules, count: 13, reference: () => runHistorySuite(faultyRunHistoryTarget('reference', {})), fixtures: brokenRunHistoryFixtures, run: runHistorySuite },
  { prefix: 'PRESENCE', rules: presenceRules, count: 9, reference: () => runPresenceSuite(faultyPresenceTarget('reference', {})), fixtures: brokenPresenceFixtures, run: runPresenceSuite },
  { prefix: 'CONTROL', rules: controlRules, count: 9, reference: () => runControlSuite(faultyControlTarget('reference', {})), fixtures: brokenControlFixtures, run: runControlSuite },
];

for (const kind of kinds) {
  describe.concurrent(`the ${kind.prefix} suite against deliberately broken stores`, () => {
    it(`has rules ${kind.prefix}-001 to ${kind.prefix}-${String(kind.count).padStart(3, '0')} in order, one sentence each`, () => {
      expect(kind.rules.map((rule) => rule.id)).toEqual(Array.from({ length: kind.count }, (_, i) => `${kind.prefix}-${String(i + 1).padStart(3, '0')}`));
      for (const rule of kind.rules) expect(rule.sentence).not.toMatch(/\.\s|\n/);
    });

    it('passes every rule for the correct reference store, so a failure means a broken store', async () => {
      const report = await kind.reference();
      expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
      expect(report.passed).toBe(kind.count);
    });

    for (const fixture of kind.fixtures) {
      const { name } = fixture.target as { name: string };
      it(`fails exactly ${fixture.breaks.join(', ')} for the ${name}`, async () => {
        const report = await kind.run(fixture.target as never);
        expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(fixture.breaks);
        expect(report.passed).toBe(kind.count - fixture.breaks.length);
        for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
      });
    }
  });
}

describe('cluster-store targets', () => {
  it('refuses a factory without peer, a shortMs below 20, and a misspelled key', () => {
    const target = faultyPresenceTarget('bad target', {});
    expect(() => runPresenceSuite({ ...target, factory: { create: target.factory.create } as never })).toThrow(/factory.create and factory.peer must be functions/);
    expect(() => runPresenceSuite({ ...target, shortMs: 5 })).toThrow(/shortMs must be an integer number of ms ≥ 20, got 5/);
    expect(() => runPresenceSuite({ ...target, shortms: 100 } as never)).toThrow(/unknown key "shortms": did you mean "shortMs"\?/);
  });
});

historySuite({ test, describe }, faultyRunHistoryTarget('reference run history through vitest', {}));
presenceSuite({ test, describe }, faultyPresenceTarget('reference presence through vitest', {}));
controlSuite({ test, describe }, faultyControlTarget('reference control through vitest', {}));
