// The hostile inputs, made once here for both sides of the promise "no
// input takes more than a second": test/hostile-input.test.ts checks what
// each one gets back, bench/run.mjs how long it takes (in a fresh process).
// Every input is the same on every run (junk bytes come from a fixed seed).

/** A manifest head that is valid apart from its schedules. */
export const HEADER = '[plugin]\nid = "h"\nname = "h"\nversion = "1.0.0"\nentry = "i.js"\napi_version = "^1"\ncapabilities = ["scheduled"]\n';

const MAX_MANIFEST_LENGTH = 131_072;
const MAX_SCHEDULES = 1000;

/** `length` pseudo-random bytes from a fixed seed (xorshift32). */
function junkBytes(length) {
  const bytes = new Uint8Array(length);
  let state = 0x9e3779b9;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** `count` distinct zone names the runtime accepts: its canonical ones, then the same in lower and upper case. */
export function distinctZones(count) {
  const canonical = Intl.supportedValuesOf('timeZone');
  const names = [...new Set([...canonical, ...canonical.map((z) => z.toLowerCase()), ...canonical.map((z) => z.toUpperCase())])];
  if (names.length < count) throw new Error(`this runtime knows ${canonical.length} zones, too few for ${count} distinct names`);
  return names.slice(0, count);
}

/** Cron date lists that never come: the 31st of months with 30 days or fewer, every list of up to four of them. */
export function impossibleDateLists() {
  const months = ['4', '6', '9', '11', '2'];
  const lists = [];
  const extend = (prefix) => {
    if (prefix.length > 0) lists.push(prefix.join(','));
    if (prefix.length < 4) for (const month of months) extend([...prefix, month]);
  };
  extend([]);
  return lists;
}

/** Schedules, one `[[plugin.schedules]]` each. */
const schedules = (count, make) => Array.from({ length: count }, (_, i) => `[[plugin.schedules]]\nid = "s${i}"\n${make(i)}`).join('');

/** Each input by name: a title and a function making its text. */
export const hostileInputs = {
  binaryJunk10MB: { title: '10 MB of binary junk', text: () => Buffer.from(junkBytes(10 * 1024 * 1024)).toString('latin1') },
  binaryJunk64KB: { title: '64 KB of binary junk', text: () => Buffer.from(junkBytes(64 * 1024)).toString('utf8') },
  toml10MB: {
    title: '10 MB of well-formed TOML',
    text: () => {
      const line = `k = "${'x'.repeat(50)}"\n`;
      return `[plugin.metadata]\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`;
    },
  },
  justUnderSizeLimit: {
    title: `valid manifest just under the size limit (${MAX_SCHEDULES} schedules, 1,000 metadata keys)`,
    text: () => {
      const metadata = Array.from({ length: 1_000 }, (_, i) => `key_${i} = { list = [${i}, "${'v'.repeat(20)}"], flag = true }`);
      const all = schedules(MAX_SCHEDULES, (i) => `cron = "${i % 60} ${i % 24} * * 1-5"\ntimezone = "${i % 2 === 0 ? 'Europe/Berlin' : 'America/New_York'}"\n`);
      const text = `${HEADER}${all}[plugin.metadata]\n${metadata.join('\n')}\n`.slice(0, MAX_MANIFEST_LENGTH);
      return text.slice(0, text.lastIndexOf('\n') + 1);
    },
  },
  thousandZones: {
    title: `${MAX_SCHEDULES} schedules in ${MAX_SCHEDULES} distinct time zones`,
    text: () => {
      const zones = distinctZones(MAX_SCHEDULES);
      return HEADER + schedules(MAX_SCHEDULES, (i) => `cron = "0 ${i % 24} * * *"\ntimezone = "${zones[i]}"\n`);
    },
  },
  thousandSchedulesOneZone: {
    title: `${MAX_SCHEDULES} schedules in one time zone (the same manifest otherwise)`,
    text: () => HEADER + schedules(MAX_SCHEDULES, (i) => `cron = "0 ${i % 24} * * *"\ntimezone = "Europe/Berlin"\n`),
  },
  deepArrays: { title: '10,000-deep arrays', text: () => `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}` },
  deepInlineTables: { title: '10,000-deep inline tables', text: () => `x = ${'{ a = '.repeat(10_000)}1${' }'.repeat(10_000)}` },
  deepDottedKeys: { title: '10,000-deep dotted keys', text: () => `${'a.'.repeat(10_000)}b = 1` },
  deepTableHeader: { title: 'a 10,000-deep table header', text: () => `[${'a.'.repeat(10_000)}b]` },
  deepArrayOfTablesHeader: { title: 'a 10,000-deep array-of-tables header', text: () => `[[${'a.'.repeat(10_000)}b]]` },
  deepMetadataArrays: { title: '10,000-deep arrays inside [plugin.metadata]', text: () => `[plugin.metadata]\nx = ${'[1, '.repeat(10_000)}` },
  thousandUnknownKeys: { title: '1,000 unknown keys', text: () => `${HEADER}${Array.from({ length: 1000 }, (_, i) => `unknown_${i} = ${i}`).join('\n')}\n` },
  longStringValue: { title: 'a 30,000-character string value', text: () => HEADER.replace('"h"', `"${'x'.repeat(30_000)}"`) },
  longKey: { title: 'a 30,000-character key', text: () => `${HEADER}${'x'.repeat(30_000)} = 1\n` },
  tokenTooLong: { title: 'a 100,000-character string value', text: () => `[plugin]\nid = "${'x'.repeat(100_000)}"\n` },
  bareTokenTooLong: { title: 'a 100,000-character bare value', text: () => `[plugin]\nn = 1${'0'.repeat(100_000)}\n` },
  impossibleDates: {
    title: `${impossibleDateLists().length} cron date patterns that never come`,
    text: () => HEADER + impossibleDateLists().map((list, i) => `[[plugin.schedules]]\nid = "s${i}"\ncron = "0 ${i % 60} ${i % 24} 31 ${list} *"\n`).join(''),
  },
  tooManySchedules: { title: `${MAX_SCHEDULES + 1} schedules`, text: () => HEADER + schedules(MAX_SCHEDULES + 1, (i) => `cron = "${i % 60} ${i % 24} * * *"\n`) },
};
