import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type LockingSupports } from '@belfry/plugin-api';
import { brokenLockingFixtures, FaultyLocking, faultyLockingTarget } from '../src/fixtures/index.js';
import {
  lockingRules,
  lockingSuite,
  runLockingSuite,
  type LockingCapabilities,
  type LockingConformance,
  type LockingTiming,
  type SuiteReport,
} from '../src/index.js';

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

/** A FaultyLocking whose `supports` differs from the reference's by `changes`. */
function declaring(changes: Partial<LockingSupports>): LockingConformance {
  const target = faultyLockingTarget('declaring', {});
  return {
    ...target,
    factory: {
      ...target.factory,
      create: () => {
        const locking = new FaultyLocking();
        Object.defineProperty(locking, 'supports', { value: { ...locking.supports, ...changes } });
        return locking;
      },
    },
  };
}

function notClaimed(report: SuiteReport): [string, string | undefined][] {
  return report.results.filter((r) => r.status === 'not_claimed').map((r) => [r.id, r.reason]);
}

describe('capabilities', () => {
  it('reads them from the backend: the reference declares supports and its target declares nothing', async () => {
    const target = faultyLockingTarget('reference', {});
    expect(target.capabilities).toBeUndefined();
    expect(new FaultyLocking().supports).toMatchObject({ fences: true, peers: true, maxCallMs: 1000 });
    const report = await runLockingSuite({ ...declaring({ fences: false, peers: false }), name: 'lacks fences and peers' });
    expect(notClaimed(report)).toEqual([
      ['LOCK-014', 'not claimed: fences (supports.fences is false)'],
      ['LOCK-022', 'not claimed: peers (supports.peers is false)'],
      ['LOCK-027', 'not claimed: fences (supports.fences is false)'],
    ]);
    expect(report.failed).toBe(0);
  });

  it('lets a caller claim less than supports declares, reported as not claimed, never as passed', async () => {
    const target = faultyLockingTarget('narrowed', {});
    const report = await runLockingSuite({ ...target, capabilities: { fences: false, peers: false, unreachable: false, cleanup: false } });
    expect(notClaimed(report)).toEqual([
      ['LOCK-014', 'not claimed: fences'],
      ['LOCK-022', 'not claimed: peers'],
      ['LOCK-023', 'not claimed: unreachable'],
      ['LOCK-024', 'not claimed: unreachable'],
      ['LOCK-026', 'not claimed: cleanup'],
      ['LOCK-027', 'not claimed: fences'],
    ]);
    expect(report.failed).toBe(0);
  });

  it('uses a shorter declared maxKeyLength and a longer declared maxCallMs', async () => {
    const seen: number[] = [];
    const target = faultyLockingTarget('narrowed limits', {});
    const report = await runLockingSuite({
      ...target,
      factory: {
        ...target.factory,
        create: () => {
          const locking = new FaultyLocking();
          const tryLock = locking.tryLock.bind(locking);
          locking.tryLock = (key, ttlMs) => (seen.push(typeof key === 'string' ? key.length : 0), tryLock(key, ttlMs));
          return locking;
        },
      },
      capabilities: { maxKeyLength: 100, maxCallMs: 1500 },
    });
    expect(Math.max(...seen)).toBe(100);
    expect(report.failed).toBe(0);
  });

  it('rejects a caller claiming more than the backend declares, naming the capability', async () => {
    await expect(runLockingSuite({ ...declaring({ fences: false }), capabilities: { fences: true } })).rejects.toThrow(
      'declaring: capabilities.fences is true but the backend\'s supports.fences is false; remove it: a caller may only claim less than supports declares',
    );
    await expect(runLockingSuite({ ...faultyLockingTarget('long keys', {}), capabilities: { maxKeyLength: 5000 } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: "long keys: capabilities.maxKeyLength is 5000 but the backend's supports.maxKeyLength is 4096; declare it shorter or remove it",
    });
    await expect(runLockingSuite({ ...faultyLockingTarget('tight bound', {}), capabilities: { maxCallMs: 500 } })).rejects.toThrow(
      "tight bound: capabilities.maxCallMs is 500 but the backend's supports.maxCallMs is 1000; declare it longer or remove it",
    );
  });

  it('falls back to what the caller declares for a backend without supports', async () => {
    const legacy = faultyLockingTarget('no supports', { noSupports: true });
    expect(new FaultyLocking(undefined, { noSupports: true }).supports).toBeUndefined();
    const declared = await runLockingSuite(legacy);
    expect(declared).toMatchObject({ passed: allIds.length, failed: 0 });
    const bare = await runLockingSuite({ ...legacy, capabilities: {} });
    expect(notClaimed(bare)).toEqual([
      ['LOCK-014', 'not claimed: fences (the backend declares no supports and the caller did not claim it)'],
      ['LOCK-022', 'not claimed: peers (the backend declares no supports and the caller did not claim it)'],
      ['LOCK-026', 'not claimed: cleanup (the backend declares no supports; claim it with capabilities.cleanup: true)'],
      [
        'LOCK-027',
        'not claimed: fences (the backend declares no supports and the caller did not claim it), fenceKey (the backend declares no supports and the caller did not claim it)',
      ],
    ]);
    const slow = await runLockingSuite(faultyLockingTarget('legacy, slow', { noSupports: true, slowWhenDownMs: 600, declaredMaxCallMs: 500 }));
    expect(slow.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['LOCK-023', 'LOCK-024']);
  });

  it('checks the bound the backend declares, with the reason naming it', async () => {
    const fixture = brokenLockingFixtures.find((f) => f.target.name.startsWith('takes 2300 ms'))!;
    const report = await runLockingSuite(fixture.target);
    expect(report.results.find((r) => r.id === 'LOCK-023')?.reason).toMatch(/^tryLock against an unreachable server took 2\d{3} ms, over the declared maxCallMs of 2000 ms$/);
  });

  it('refuses a claimed capability whose factory function is missing', () => {
    const target = faultyLockingTarget('bad claim', {});
    expect(() => runLockingSuite({ ...target, factory: { create: target.factory.create }, capabilities: { peers: true } })).toThrow(
      /"peers" is claimed but factory.createPeer is missing/,
    );
  });

  it('rejects a misspelled capability with InvalidArgumentError naming the likely one', () => {
    const target = faultyLockingTarget('typo', {});
    const call = () => runLockingSuite({ ...target, capabilities: { fence: true } as LockingCapabilities });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow('typo: capabilities has an unknown key "fence": did you mean "fences"?');
    expect(() => lockingSuite({ test: () => undefined }, { ...target, capabilities: { unreachabel: true } as LockingCapabilities })).toThrow(
      'did you mean "unreachable"?',
    );
    expect(() => runLockingSuite({ ...target, timing: { ttlMs: 300, unreachableBoundMs: 2500 } as LockingTiming })).toThrow(
      'typo: timing has an unknown key "unreachableBoundMs": known keys: ttlMs',
    );
  });
});

describe('lockingSuite in a test runner', () => {
  it('registers the rules supports may claim and fails, naming the capability to declare false, one the instance turns out to lack', async () => {
    const tests = new Map<string, () => Promise<void>>();
    const notRegistered = lockingSuite({ test: (name, fn) => void tests.set(name.slice(0, 8), fn) }, { ...declaring({ fences: false }), capabilities: { peers: false } });
    expect(notRegistered.map((rule) => rule.id)).toEqual(['LOCK-022']);
    expect(tests.size).toBe(allIds.length - 1);
    await expect(tests.get('LOCK-014')!()).rejects.toThrow(
      'LOCK-014 is not claimed: fences (supports.fences is false); declare that capability false so the rule is not registered',
    );
    await expect(tests.get('LOCK-002')!()).resolves.toBeUndefined();
  });

  it('registers test functions without parameters, which jest and mocha would take for a done callback', () => {
    const arities: number[] = [];
    lockingSuite({ test: (_name, fn) => void arities.push(fn.length) }, faultyLockingTarget('arity', {}));
    expect(new Set(arities)).toEqual(new Set([0]));
  });
});
