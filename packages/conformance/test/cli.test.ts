import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '../dist/belfry-conformance.js');
const fixtures = pathToFileURL(resolve(__dirname, '../dist/fixtures.js')).href;

function workspace(moduleSource: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-cli-'));
  writeFileSync(join(dir, 'target.mjs'), moduleSource);
  return dir;
}

function cli(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe.concurrent('belfry-conformance CLI', () => {
  it('prints one line per rule, writes the report and exits 0 when every claimed rule passes', () => {
    const dir = workspace(`import { faultyLockingTarget } from '${fixtures}';
      export default { name: 'reference', locking: faultyLockingTarget('x', {}) };`);
    const { code, out } = cli(dir, 'target.mjs');
    expect(code).toBe(0);
    expect(out.match(/^ {2}pass LOCK-\d{3} /gm)).toHaveLength(27);
    expect(out).toMatch(/27 passed, 0 failed, 0 not claimed — report: /);
    const report = JSON.parse(readFileSync(join(dir, 'conformance-report.json'), 'utf8'));
    expect(report).toMatchObject({ passed: 27, failed: 0, suites: [{ suite: 'locking', target: 'reference' }] });
  });

  it('exits 1 and names the broken rules for a broken backend', () => {
    const dir = workspace(`import { brokenLockingFixtures } from '${fixtures}';
      const renew = brokenLockingFixtures.find((f) => f.target.name.startsWith('renew'));
      export default [{ name: 'revives', locking: renew.target }];`);
    const { code, out, err } = cli(dir, 'target.mjs', '--report', 'out.json');
    expect(code).toBe(1);
    expect(out).toMatch(/^ {2}FAIL LOCK-011 renew after the TTL has passed rejects and does not revive the lock — renew of an expired lock resolved$/m);
    expect(err).toContain('broken rules: revives: LOCK-011');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).failed).toBe(1);
  });

  it('runs the stateful and snapshot-store suites for a target with only those sections', () => {
    const dir = workspace(`import { faultyStatefulTarget, faultySnapshotStoreTarget } from '${fixtures}';
      export default [
        { name: 'counter', stateful: faultyStatefulTarget('x', {}) },
        { name: 'store', snapshotStore: faultySnapshotStoreTarget('x', {}) },
      ];`);
    const { code, out } = cli(dir, 'target.mjs');
    expect(code).toBe(0);
    expect(out).toContain('counter — stateful');
    expect(out).toContain('store — snapshot-store');
    expect(out.match(/^ {2}pass STATE-\d{3} /gm)).toHaveLength(11);
    expect(out.match(/^ {2}pass STORE-\d{3} /gm)).toHaveLength(20);
    const report = JSON.parse(readFileSync(join(dir, 'conformance-report.json'), 'utf8'));
    expect(report).toMatchObject({ passed: 31, failed: 0, suites: [{ suite: 'stateful' }, { suite: 'snapshot-store' }] });
  });

  it('runs the poller suite on a plugin folder given with --poller, and on a poller section of a module', () => {
    const folder = resolve(__dirname, 'fixtures/pollers/protocol-poller');
    const direct = cli(workspace('export default [];'), '--poller', folder);
    expect(direct.code).toBe(0);
    expect(direct.out.match(/^ {2}pass POLL-\d{3} /gm)).toHaveLength(11);
    expect(direct.out).toMatch(/^ {2}n\/a +POLL-008 .*not claimed: cancel \(give slowTick/m);
    const dir = workspace(`export default { name: 'leaky', poller: { folder: ${JSON.stringify(folder)}, env: { FAULT: 'leaks-child' }, slowTick: { kind: 'feed', config: { mode: 'slow' } } } };`);
    const section = cli(dir, 'target.mjs');
    expect(section.code).toBe(1);
    expect(section.err).toContain('broken rules: leaky: POLL-012');
  });

  it('exits 2 for --poller without a folder, or a folder without a plugin.toml', () => {
    expect(cli(workspace(''), '--poller')).toMatchObject({ code: 2, err: expect.stringContaining('--poller needs a plugin folder') });
    const dir = workspace('');
    expect(cli(dir, '--poller', '.')).toMatchObject({ code: 2, err: expect.stringContaining(`${join(dir, 'plugin.toml')} cannot be read`) });
  });

  it('runs the cursor-store suite for a cursorStore section and names a broken store\'s rules', () => {
    const dir = workspace(`import { faultyCursorStoreTarget, brokenCursorStoreFixtures } from '${fixtures}';
      const equal = brokenCursorStoreFixtures.find((f) => f.target.name.includes('equal fence'));
      export default [{ name: 'cursors', cursorStore: faultyCursorStoreTarget('x', {}) }, { name: 'equal', cursorStore: equal.target }];`);
    const { code, out, err } = cli(dir, 'target.mjs');
    expect(code).toBe(1);
    expect(out).toContain('cursors — cursor-store');
    expect(out.match(/^ {2}pass CURSOR-\d{3} /gm)).toHaveLength(12 + 11);
    expect(err).toContain('broken rules: equal: CURSOR-005');
  });

  it('runs the history, presence and control suites for their sections and names a broken store\'s rules', () => {
    const dir = workspace(`import { faultyRunHistoryTarget, faultyPresenceTarget, faultyControlTarget, brokenPresenceFixtures } from '${fixtures}';
      const unsorted = brokenPresenceFixtures.find((f) => f.target.name.includes('unsorted'));
      export default [
        { name: 'cluster', runHistory: faultyRunHistoryTarget('h', {}), presence: faultyPresenceTarget('p', {}), control: faultyControlTarget('c', {}) },
        { name: 'unsorted', presence: unsorted.target },
      ];`);
    const { code, out, err } = cli(dir, 'target.mjs');
    expect(code).toBe(1);
    expect(out).toContain('cluster — run-history');
    expect(out.match(/^ {2}pass HISTORY-\d{3} /gm)).toHaveLength(13);
    expect(out.match(/^ {2}pass PRESENCE-\d{3} /gm)).toHaveLength(9 + 8);
    expect(out.match(/^ {2}pass CONTROL-\d{3} /gm)).toHaveLength(9);
    expect(err).toContain('broken rules: unsorted: PRESENCE-008');
  });

  it('exits 2 when a cluster-store section has no peer', () => {
    const dir = workspace(`export default { name: 'lonely', presence: { factory: { create: () => ({}) } } };`);
    expect(cli(dir, 'target.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('factory.create and factory.peer must be functions') });
  });

  it('exits 1 and names the broken rules for a broken store', () => {
    const dir = workspace(`import { brokenSnapshotStoreFixtures } from '${fixtures}';
      const truncating = brokenSnapshotStoreFixtures.find((f) => f.target.name.includes('truncates'));
      export default { name: 'truncating', snapshotStore: truncating.target };`);
    const { code, err } = cli(dir, 'target.mjs');
    expect(code).toBe(1);
    expect(err).toContain('broken rules: truncating: STORE-008');
  });

  it('exits 2 naming the section when a suite section is malformed', () => {
    const noChange = workspace(`export default { name: 'p', stateful: { factory: { create: () => ({}) }, capabilities: {} } };`);
    expect(cli(noChange, 'target.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('stateful.factory.change must be a function') });
    const noCaps = workspace(`export default { name: 's', snapshotStore: { factory: { create: () => ({}) } } };`);
    expect(cli(noCaps, 'target.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('snapshotStore.capabilities must be an object') });
    const none = workspace(`export default { name: 'empty' };`);
    expect(cli(none, 'target.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('has no suite section (one of "locking", "stateful", "snapshotStore", "scheduledPlugin", "cursorStore", "runHistory", "presence", "control", "poller")') });
  });

  it('exits 2 naming the likely capability for a misspelled one, in any suite, before running anything', () => {
    const locking = workspace(`import { faultyLockingTarget } from '${fixtures}';
      export default [
        { name: 'first', locking: faultyLockingTarget('x', {}) },
        { name: 'typo', locking: { ...faultyLockingTarget('x', {}), capabilities: { fence: true } } },
      ];`);
    const run = cli(locking, 'target.mjs');
    expect(run).toMatchObject({ code: 2, out: '' });
    expect(run.err).toContain('target.mjs [1]: typo: capabilities has an unknown key "fence": did you mean "fences"?');
    const store = workspace(`import { faultySnapshotStoreTarget } from '${fixtures}';
      export default { name: 'store', snapshotStore: { ...faultySnapshotStoreTarget('x', {}), capabilities: { persistant: true } } };`);
    expect(cli(store, 'target.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('store: capabilities has an unknown key "persistant": did you mean "persistent"?') });
  });

  it('exits 2 when a target claims more than its backend supports', () => {
    const dir = workspace(`import { faultyLockingTarget } from '${fixtures}';
      export default { name: 'long keys', locking: { ...faultyLockingTarget('x', {}), capabilities: { maxKeyLength: 10000 } } };`);
    expect(cli(dir, 'target.mjs')).toMatchObject({
      code: 2,
      err: expect.stringContaining("target \"long keys\" could not run: long keys: capabilities.maxKeyLength is 10000 but the backend's supports.maxKeyLength is 4096"),
    });
  });

  it('exits 2 with a clear message for a module without a target', () => {
    const dir = workspace('export const nothing = 1;');
    const { code, err } = cli(dir, 'target.mjs');
    expect(code).toBe(2);
    expect(err).toContain('target.mjs: the module has no default export');
  });

  it('exits 2 for a missing module, an unknown option or no module at all', () => {
    const dir = workspace('');
    expect(cli(dir, 'nope.mjs')).toMatchObject({ code: 2, err: expect.stringContaining('nope.mjs: no such file') });
    expect(cli(dir, 'target.mjs', '--fast')).toMatchObject({ code: 2, err: expect.stringContaining('unknown option --fast') });
    expect(cli(dir)).toMatchObject({ code: 2, err: expect.stringContaining('name at least one module') });
  });
});
