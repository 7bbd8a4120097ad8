import { describe, expect, it } from 'vitest';
import { brokenSnapshotStoreFixtures, FaultySnapshotStore, faultySnapshotStoreTarget } from '../src/fixtures/index.js';
import { runSnapshotStoreSuite, snapshotStoreRules } from '../src/index.js';

const allIds = snapshotStoreRules.map((rule) => rule.id);

describe.concurrent('the snapshot-store suite against deliberately broken stores', () => {
  it('has at least 12 rules with stable, unique, ordered ids and one sentence each', () => {
    expect(allIds.length).toBeGreaterThanOrEqual(12);
    expect(new Set(allIds).size).toBe(allIds.length);
    expect([...allIds].sort()).toEqual(allIds);
    for (const rule of snapshotStoreRules) {
      expect(rule.id).toMatch(/^STORE-\d{3}$/);
      expect(rule.sentence).not.toMatch(/\.\s|\n/);
    }
  });

  it('passes every rule for the correct reference store, so a failure means a broken store', async () => {
    const report = await runSnapshotStoreSuite(faultySnapshotStoreTarget('reference', {}));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(allIds.length);
  });

  it('ships at least two broken stores', () => {
    expect(brokenSnapshotStoreFixtures.length).toBeGreaterThanOrEqual(2);
  });

  for (const fixture of brokenSnapshotStoreFixtures) {
    it(`fails exactly ${fixture.breaks.join(', ')} for the ${fixture.target.name}`, async () => {
      const report = await runSnapshotStoreSuite(fixture.target);
      expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(fixture.breaks);
      expect(report.passed).toBe(allIds.length - fixture.breaks.length);
      for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
    });
  }
});

describe('snapshot-store capabilities', () => {
  it('reports the persistence rules as not claimed for a store that does not claim persistent', async () => {
    const report = await runSnapshotStoreSuite({ ...faultySnapshotStoreTarget('memory only', {}), capabilities: { fenced: true } });
    expect(report.results.filter((r) => r.status === 'not_claimed').map((r) => [r.id, r.reason])).toEqual([
      ['STORE-013', 'not claimed: persistent'],
      ['STORE-020', 'not claimed: persistent'],
    ]);
    expect(report.failed).toBe(0);
  });

  it('reports the fence rules as not claimed, by declaration, for a store that does not claim fenced', async () => {
    const report = await runSnapshotStoreSuite({ ...faultySnapshotStoreTarget('unfenced', {}), capabilities: { persistent: true } });
    expect(report.results.filter((r) => r.status === 'not_claimed').map((r) => [r.id, r.reason])).toEqual(
      ['STORE-014', 'STORE-015', 'STORE-016', 'STORE-017', 'STORE-018', 'STORE-019', 'STORE-020'].map((id) => [id, 'not claimed: fenced']),
    );
    expect(report.failed).toBe(0);
  });

  it('fails exactly the fence rules for a store that claims fenced without saveFenced and loadFenced', async () => {
    const target = faultySnapshotStoreTarget('claims fenced, has none', {});
    // The same store seen through the four plain methods only.
    const unfenced = (store: object) => {
      const faulty = store as FaultySnapshotStore;
      return { backing: faulty.backing, save: faulty.save.bind(faulty), load: faulty.load.bind(faulty), delete: faulty.delete.bind(faulty), list: faulty.list.bind(faulty) };
    };
    const report = await runSnapshotStoreSuite({
      ...target,
      factory: { create: async () => unfenced(await target.factory.create()), reopen: async (store) => unfenced(await target.factory.reopen!(store)) },
    });
    expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['STORE-014', 'STORE-015', 'STORE-016', 'STORE-017', 'STORE-018', 'STORE-019', 'STORE-020']);
    expect(report.results.find((r) => r.id === 'STORE-014')?.reason).toMatch(/capability "fenced" is claimed but the store has no saveFenced\(\) method/);
  });

  it('refuses a claimed persistent capability whose factory.reopen is missing', () => {
    const target = faultySnapshotStoreTarget('bad claim', {});
    expect(() => runSnapshotStoreSuite({ ...target, factory: { create: target.factory.create } })).toThrow(
      /"persistent" is claimed but factory.reopen is missing/,
    );
  });
});
