import { parseSchedule } from '@belfry/scheduler-core';
import { describe, expect, it, vi } from 'vitest';
import { hostileInputs } from '../bench/hostile-inputs.mjs';
import { validateManifest } from '../src/index.js';

// The real parseSchedule, counted: each call with a cron expression compiles a croner pattern for its zone.
vi.mock('@belfry/scheduler-core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@belfry/scheduler-core')>();
  return { ...actual, parseSchedule: vi.fn(actual.parseSchedule) };
});

const HEADER = '[plugin]\nid = "zones"\nname = "Zones"\nversion = "1.0.0"\nentry = "index.js"\napi_version = "^1"\ncapabilities = ["scheduled"]\n';

/** 1,000 distinct zone names: the runtime's canonical ones, then the same in lower and upper case (zone names are case-insensitive). */
const canonical = Intl.supportedValuesOf('timeZone');
const zones = [...new Set([...canonical, ...canonical.map((z) => z.toLowerCase()), ...canonical.map((z) => z.toUpperCase())])].slice(0, 1000);
const expressions = Array.from({ length: 24 }, (_, hour) => `7 ${hour} * * 1-5`);
const manifest =
  HEADER + zones.map((zone, i) => `[[plugin.schedules]]\nid = "s${i}"\ncron = "${expressions[i % 24]}"\ntimezone = "${zone}"\n`).join('');

function cronParses(): { expression: string; timezone: string | undefined }[] {
  const calls = vi.mocked(parseSchedule).mock;
  return calls.calls
    .filter((_, i) => (calls.results[i]?.value as { kind?: string } | undefined)?.kind === 'cron')
    .map(([expression, options]) => ({ expression, timezone: options?.timezone }));
}

describe('schedule checks scale with distinct expressions and zones, not their pairs', () => {
  it('compiles each cron expression once for a manifest of 1,000 schedules in 1,000 zones', () => {
    expect(zones).toHaveLength(1000);
    vi.mocked(parseSchedule).mockClear();
    const result = validateManifest(manifest);
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest?.plugin.schedules.map((s) => s.timezone)).toEqual(zones);
    // One compile per expression, plus the daily pattern the never-fires search checks its window with.
    expect(cronParses().length).toBeLessThanOrEqual(expressions.length + 1);
  });

  it('searches for a date that never comes with the pattern already compiled for the expression', () => {
    const text = hostileInputs.impossibleDates.text();
    const distinct = new Set([...text.matchAll(/^cron = "(.*)"$/gm)].map((m) => m[1]));
    vi.mocked(parseSchedule).mockClear();
    expect(validateManifest(text).diagnostics.map((d) => d.code)).toEqual([...distinct].map(() => 'schedule_never_fires'));
    // One compile per expression, plus the daily pattern that checks the search window.
    expect(cronParses().length).toBeLessThanOrEqual(distinct.size + 1);
  });

  it('checks nothing again when the same manifest is validated a second time', () => {
    validateManifest(manifest);
    vi.mocked(parseSchedule).mockClear();
    expect(validateManifest(manifest).diagnostics).toEqual([]);
    expect(vi.mocked(parseSchedule).mock.calls).toHaveLength(0);
  });

  it('accepts zone names in any ASCII case and aliases, and refuses look-alikes the runtime refuses', () => {
    const schedules = (names: string[]): string =>
      HEADER + names.map((zone, i) => `[[plugin.schedules]]\nid = "z${i}"\ncron = "0 0 * * *"\ntimezone = "${zone}"\n`).join('');
    expect(validateManifest(schedules(['europe/berlin', 'AMERICA/NEW_YORK', 'US/Eastern', 'Etc/GMT+5', 'utc'])).diagnostics).toEqual([]);
    // U+212A KELVIN SIGN lowercases to "k", but zone names ignore ASCII case only.
    const lookalikes = ['Asia/\u212Aolkata', 'Europe/Berl\u0130n', 'Europe/Berlin ', 'Mars/Olympus'];
    for (const zone of lookalikes) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).toThrow(RangeError);
    expect(validateManifest(schedules(lookalikes)).diagnostics.map((d) => [d.code, d.path])).toEqual(
      lookalikes.map((_, i) => ['invalid_timezone', `plugin.schedules[${i}].timezone`]),
    );
  });

  it('still reports an unknown zone and a bad expression, each once per schedule', () => {
    const text = `${HEADER}${['Mars/Olympus', 'Europe/Berlin'].map((zone, i) => `[[plugin.schedules]]\nid = "b${i}"\ncron = "${i === 0 ? '0 0 * * *' : '61 * * * *'}"\ntimezone = "${zone}"\n`).join('')}`;
    expect(validateManifest(text).diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['invalid_timezone', 'plugin.schedules[0].timezone'],
      ['invalid_schedule', 'plugin.schedules[1].cron'],
    ]);
  });
});
