import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollerRules, runPollerSuite, type PollerConformance } from '../src/index.js';

const POLLERS = resolve(__dirname, 'fixtures/pollers');
const slowTick = { kind: 'feed', config: { mode: 'slow' } };

/** The protocol poller (plain Node, no dependencies) with one fault, in the folder whose manifest it runs under. */
function faulty(fault: string, folder = 'protocol-poller'): PollerConformance {
  return { name: `${fault} (${folder})`, folder: join(POLLERS, folder), env: { FAULT: fault }, slowTick };
}

/** Broken pollers and the rules each must fail — no more, no fewer. */
const brokenPollers: Array<{ what: string; target: PollerConformance; breaks: string[] }> = [
  { what: 'answers ticks 4 s late under a 2 s tick timeout', target: faulty('late', 'late-poller'), breaks: ['POLL-002', 'POLL-003', 'POLL-004', 'POLL-005', 'POLL-006', 'POLL-007', 'POLL-008'] },
  { what: 'ignores $/cancel', target: faulty('ignores-cancel'), breaks: ['POLL-008'] },
  { what: 'answers initialize with a kind its manifest does not declare', target: faulty('wrong-kinds'), breaks: ['POLL-001'] },
  { what: 'writes a log line to stdout on each tick', target: faulty('junk-stdout'), breaks: ['POLL-011'] },
  { what: 'exits in the middle of every tick', target: faulty('exits-mid-tick'), breaks: ['POLL-002', 'POLL-003', 'POLL-004', 'POLL-005', 'POLL-006', 'POLL-007', 'POLL-008'] },
  { what: 'leaves a child process running on each tick', target: faulty('leaks-child'), breaks: ['POLL-012'] },
  { what: 'answers a tick of an undeclared kind', target: faulty('answers-undeclared-kind'), breaks: ['POLL-004'] },
  { what: 'answers shutdown but stays', target: faulty('stays-after-shutdown'), breaks: ['POLL-009'] },
  { what: 'stays when its stdin ends', target: faulty('ignores-eof'), breaks: ['POLL-010'] },
];

const allIds = pollerRules.map((rule) => rule.id);

describe.concurrent('the poller suite against deliberately broken pollers', () => {
  it('has rules POLL-001 to POLL-012 in order, one sentence each', () => {
    expect(allIds).toEqual(Array.from({ length: 12 }, (_, i) => `POLL-${String(i + 1).padStart(3, '0')}`));
    for (const rule of pollerRules) expect(rule.sentence).not.toMatch(/\.\s|\n/);
  });

  it('passes every rule for the correct protocol poller, so a failure means a broken poller', async () => {
    const report = await runPollerSuite(faulty('none'));
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  it('passes every rule that applies for an ephemeral poller, and says why the others do not', async () => {
    const report = await runPollerSuite(faulty('none', 'ephemeral-poller'));
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(report.results.filter((r) => r.status === 'not_claimed').map((r) => [r.id, r.reason])).toEqual([
      ['POLL-006', 'not claimed: long_lived (an ephemeral poller gets one tick per process)'],
      ['POLL-007', 'not claimed: long_lived (an ephemeral poller gets one tick per process)'],
    ]);
  });

  for (const { what, target, breaks } of brokenPollers) {
    it(`fails exactly ${breaks.join(', ')} for a poller that ${what}`, async () => {
      const report = await runPollerSuite(target);
      expect(report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(breaks);
      expect(report.passed).toBe(allIds.length - breaks.length);
      for (const result of report.results.filter((r) => r.status === 'fail')) expect(result.reason).toBeTruthy();
    });
  }
});

describe('poller targets', () => {
  it('reports POLL-008 as not claimed without a slowTick', async () => {
    const report = await runPollerSuite({ name: 'no slow tick', folder: join(POLLERS, 'protocol-poller') });
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => [r.id, r.reason])).toEqual([
      ['POLL-008', 'not claimed: cancel (give slowTick: a tick that runs until it is cancelled)'],
    ]);
  });

  it('refuses a folder without a readable manifest, or whose manifest declares no poller, naming the file and key', () => {
    const empty = mkdtempSync(join(tmpdir(), 'belfry-poller-'));
    expect(() => runPollerSuite({ name: 'x', folder: empty })).toThrow(`${join(empty, 'plugin.toml')} cannot be read; point the poller suite at a plugin folder that has a plugin.toml`);
    writeFileSync(join(empty, 'plugin.toml'), '[plugin]\nid = "no_poller"\nentry = "index.js"\n');
    expect(() => runPollerSuite({ name: 'x', folder: empty })).toThrow(/plugin.toml: \[plugin.poller\] must be present: this plugin declares no poller/);
    writeFileSync(join(empty, 'plugin.toml'), '[plugin]\nid = "p"\nentry = "../escape.js"\n[plugin.poller]\nkinds = ["feed"]\nbroker_topic_prefix = "p"\n');
    expect(() => runPollerSuite({ name: 'x', folder: empty })).toThrow(/plugin.entry must stay inside the plugin folder, got "..\/escape.js"/);
    writeFileSync(join(empty, 'plugin.toml'), '[plugin]\nid = "p"\nentry = "poller.sh"\n[plugin.poller]\nkinds = ["feed"]\nbroker_topic_prefix = "p"\n');
    writeFileSync(join(empty, 'poller.sh'), '#!/bin/sh\n');
    expect(() => runPollerSuite({ name: 'x', folder: empty })).toThrow(/plugin.entry "poller.sh" is not a readable file, or not executable; build the plugin, or chmod \+x it/);
    writeFileSync(join(empty, 'plugin.toml'), '[plugin\n');
    expect(() => runPollerSuite({ name: 'x', folder: empty })).toThrow(/plugin.toml is not valid TOML/);
  });

  it('refuses sample ticks or a slow tick for a kind the manifest does not declare', () => {
    const folder = join(POLLERS, 'protocol-poller');
    expect(() => runPollerSuite({ name: 'x', folder, ticks: { fede: {} } })).toThrow(/ticks \(keyed by the kinds of .*plugin.toml\) has an unknown key "fede": did you mean "feed"\?/);
    expect(() => runPollerSuite({ name: 'x', folder, slowTick: { kind: 'nope' } })).toThrow(/slowTick.kind must be one of the manifest's kinds \(feed, other\), got "nope"/);
  });
});
