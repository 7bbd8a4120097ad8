import fc from 'fast-check';

/** A manifest as a test builds it, before it is written as TOML. */
export interface GeneratedManifest {
  id: string;
  name: string;
  version: string;
  entry: string;
  apiVersion: string;
  stateful: boolean;
  schedules: { id: string; cron: string; timezone?: string; jitterMs?: number; missedRunPolicy?: string; locking?: string }[];
  poller?: { kinds: string[]; brokerTopicPrefix: string; lifecycle?: string; maxConcurrentTicks?: number; tickTimeoutSecs?: number };
  backend?: string;
}

/** Manifests that are valid by construction, in every combination of sections and optional keys. */
export const validManifest: fc.Arbitrary<GeneratedManifest> = fc
  .record(
    {
      id: fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/),
      name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}$/),
      version: fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((parts) => parts.join('.')),
      entry: fc.constantFrom('index.js', './dist/index.js', 'lib/main.mjs', 'a/b/../c.cjs'),
      apiVersion: fc.constantFrom('^1.0', '1.x', '>=1.0.0 <2', '*', '~1.0.0', '^1.0.0 || ^2.0.0'),
      stateful: fc.boolean(),
      schedules: fc.array(
        fc.record(
          {
            cron: fc.constantFrom('@hourly', '@daily', '*/5 * * * *', '0 9 * * 1-5', '0 0 1 * *', '0 */2 * * * *', '15 10 L * ?'),
            timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
            jitterMs: fc.nat(60_000),
            missedRunPolicy: fc.constantFrom('run_once', 'skip', 'run_all'),
            locking: fc.constantFrom('node_local', 'require_global', 'prefer_global'),
          },
          { requiredKeys: ['cron'] },
        ),
        { maxLength: 4 },
      ),
      poller: fc.record(
        {
          kinds: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{1,10}$/), { minLength: 1, maxLength: 4 }),
          brokerTopicPrefix: fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}[a-z0-9]$/),
          lifecycle: fc.constantFrom('long_lived', 'ephemeral'),
          maxConcurrentTicks: fc.integer({ min: 1, max: 64 }),
          tickTimeoutSecs: fc.integer({ min: 1, max: 3600 }),
        },
        { requiredKeys: ['kinds', 'brokerTopicPrefix'] },
      ),
      backend: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/),
    },
    { requiredKeys: ['id', 'name', 'version', 'entry', 'apiVersion', 'stateful', 'schedules'] },
  )
  .map((m) => ({ ...m, schedules: m.schedules.map((s, i) => ({ id: `s${i}`, ...s })) }))
  .filter((m) => m.stateful || m.schedules.length > 0 || m.poller !== undefined || m.backend !== undefined);

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const line = (key: string, value: unknown): string => `${snake(key)} = ${JSON.stringify(value)}`;

/** Writes a generated manifest as plugin.toml text. */
export function toToml(m: GeneratedManifest): string {
  const capabilities = [
    ...(m.schedules.length > 0 ? ['scheduled'] : []),
    ...(m.stateful ? ['stateful'] : []),
    ...(m.poller === undefined ? [] : ['poller']),
    ...(m.backend === undefined ? [] : ['locking']),
  ];
  const out = ['[plugin]', line('id', m.id), line('name', m.name), line('version', m.version), line('entry', m.entry), line('apiVersion', m.apiVersion), line('capabilities', capabilities)];
  for (const schedule of m.schedules) {
    out.push('', '[[plugin.schedules]]', ...Object.entries(schedule).map(([k, v]) => line(k, v)));
  }
  if (m.poller !== undefined) out.push('', '[plugin.poller]', ...Object.entries(m.poller).map(([k, v]) => line(k, v)));
  if (m.backend !== undefined) out.push('', '[plugin.locking]', line('backend', m.backend));
  return `${out.join('\n')}\n`;
}
