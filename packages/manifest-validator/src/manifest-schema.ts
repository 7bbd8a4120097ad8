import { LOCKING_HINTS, MISSED_RUN_POLICIES, type JsonValue } from '@belfry/plugin-api';
import semver from 'semver';
import * as z from 'zod';
import { camelCaseKeys } from './camel-case-keys.js';
import { entryProblem } from './entry-problem.js';
import { MAX_SCHEDULES } from './limits.js';
import { toJsonValue } from './to-json-value.js';

/*
 * The single definition of plugin.toml. The validator's schema tier, the
 * published plugin.schema.json and the `Manifest` type all come from here.
 *
 * Type, presence and unknown-key failures are schema-tier problems; the
 * checks chained on a field (patterns, ranges, semver) are semantics-tier
 * problems. Custom checks carry their diagnostic code in `params.code`.
 */

const PLUGIN_ID = /^[a-z][a-z0-9_-]{0,62}$/;
const POLLER_KIND = /^[a-z][a-z0-9_]+$/;
const BACKEND_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** What a plugin may declare in `capabilities`. */
const CAPABILITIES = ['scheduled', 'stateful', 'lifecycle', 'poller', 'locking'] as const;

const jsonValue = z.unknown().transform(toJsonValue);

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const scheduleSchema = z
  .strictObject({
    id: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(128, { error: 'must be at most 128 characters' })
      .meta({ description: 'Unique within the plugin and stable across restarts; part of the lock key and of metrics labels.' }),
    description: z.string().optional().meta({ description: 'Human-readable purpose, shown on dashboards.' }),
    cron: z
      .string()
      .min(1, { error: 'must not be empty' })
      .optional()
      .meta({ description: 'Schedule expression: an interval (`30s`, `1h30m`), 5- or 6-field cron, or a shortcut (`@hourly`). Exactly one of `cron` and `at`.' }),
    at: z
      .string()
      .min(1, { error: 'must not be empty' })
      .optional()
      .meta({ description: 'One-shot: an ISO 8601 instant with an offset, e.g. `2026-12-01T09:00:00Z`; fires once. Exactly one of `cron` and `at`.' }),
    timezone: z
      .string()
      .min(1, { error: 'must not be empty' })
      .default('UTC')
      .meta({ description: 'IANA time zone the cron fields are read in, e.g. `Europe/Berlin`. Ignored by intervals.' }),
    jitter_ms: z
      .int()
      .min(0, { error: 'must be 0 or more' })
      .default(0)
      .meta({ description: 'Largest random delay added to each firing, in milliseconds.' }),
    missed_run_policy: z
      .enum(MISSED_RUN_POLICIES)
      .default('run_once')
      .meta({ description: 'Catch-up behaviour for occurrences missed while no node ran the schedule.' }),
    locking: z
      .enum(LOCKING_HINTS)
      .default('require_global')
      .meta({ description: 'Cluster-wide exclusivity of each firing.' }),
    timeout_ms: z
      .int()
      .min(1, { error: 'must be 1 or more' })
      .optional()
      .meta({ description: 'Run deadline in milliseconds after the run starts. Default: none.' }),
    config: jsonValue.optional().meta({ description: 'Opaque per-schedule parameters handed to the plugin unchanged.' }),
  })
  .superRefine((schedule, ctx) => {
    if (schedule.cron !== undefined && schedule.at !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'Give either cron (repeating) or at (one-shot), not both; remove one of them.', params: { code: 'conflicting_keys', whole: true } });
    } else if (schedule.cron === undefined && schedule.at === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'needs cron (a repeating expression such as "5m") or at (a one-shot instant such as "2026-12-01T09:00:00Z").', params: { code: 'missing_key', whole: true } });
    }
  })
  // Editors learn "exactly one of cron and at" from this; the check above is what the validator runs.
  .meta({ oneOf: [{ required: ['cron'] }, { required: ['at'] }] })
  .transform(camelCaseKeys);

const pollerSchema = z
  .strictObject({
    kinds: z
      .array(z.string().regex(POLLER_KIND, { error: `must match ${POLLER_KIND.source}` }))
      .min(1, { error: 'must list at least one kind' })
      .meta({ description: 'Poller kinds this plugin handles; unique here and across all loaded plugins.', uniqueItems: true }),
    broker_topic_prefix: z
      .string()
      .min(1, { error: 'must not be empty', abort: true })
      .refine((v) => !/\s/.test(v), { error: 'must not contain whitespace', params: { code: 'invalid_topic_prefix' } })
      .refine((v) => !v.endsWith('.'), { error: 'must not end with "."', params: { code: 'invalid_topic_prefix' } })
      .meta({ description: 'Broker subject prefix; ticks are published to `<prefix>.tick`.', pattern: '^\\S*[^\\s.]$' }),
    lifecycle: z
      .enum(['long_lived', 'ephemeral'])
      .default('long_lived')
      .meta({ description: '`long_lived`: one subprocess reused across ticks. `ephemeral`: a fresh subprocess per tick.' }),
    max_concurrent_ticks: z
      .int()
      .min(1, { error: 'must be between 1 and 64' })
      .max(64, { error: 'must be between 1 and 64' })
      .default(1)
      .meta({ description: 'Largest number of ticks of one kind running at once.' }),
    tick_timeout_secs: z
      .int()
      .min(1, { error: 'must be between 1 and 3600' })
      .max(3600, { error: 'must be between 1 and 3600' })
      .default(60)
      .meta({ description: 'Deadline of one tick, in seconds.' }),
  })
  .transform(camelCaseKeys);

const lockingSchema = z
  .strictObject({
    backend: z
      .string()
      .regex(BACKEND_NAME, { error: `must match ${BACKEND_NAME.source}` })
      .meta({ description: 'Name of the lock backend this plugin provides, e.g. `etcd`.' }),
  })
  .transform(camelCaseKeys);

const pluginSchema = z
  .strictObject({
    id: z
      .string()
      .regex(PLUGIN_ID, { error: `must match ${PLUGIN_ID.source}` })
      .meta({ description: 'Stable plugin id, unique among the plugins a host loads.' }),
    name: z.string().min(1, { error: 'must not be empty' }).meta({ description: 'Human-readable name.' }),
    version: z
      .string()
      // semver.valid trims and takes a leading "v"; a manifest's version must be one as written.
      .refine((v) => semver.valid(v) !== null && !/^[\sv=]|\s$/.test(v), {
        error: 'must be a semantic version such as "1.2.0"',
        params: { code: 'invalid_semver' },
      })
      .meta({ description: 'The plugin\'s own version (semver).' }),
    description: z.string().optional().meta({ description: 'One-line summary.' }),
    entry: z
      .string()
      .min(1, { error: 'must not be empty', abort: true })
      .superRefine((v, ctx) => {
        const problem = entryProblem(v);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'invalid_entry' } });
      })
      .meta({ description: 'Module to import, relative to the plugin folder and inside it, e.g. `./dist/index.js`.' }),
    api_version: z
      .string()
      .refine((v) => v.trim() !== '' && semver.validRange(v) !== null, {
        error: 'must be a semver range such as "^1.0"',
        params: { code: 'invalid_semver_range' },
      })
      .meta({ description: 'Semver range of plugin API versions this plugin works with; must admit the host\'s version.' }),
    capabilities: z
      .array(z.enum(CAPABILITIES))
      .min(1, { error: 'must list at least one capability' })
      .meta({ description: 'What the plugin provides; must match the sections present.', uniqueItems: true }),
    schedules: z
      .array(scheduleSchema)
      .max(MAX_SCHEDULES, { error: `must declare at most ${MAX_SCHEDULES} schedules` })
      .default([]).meta({ description: 'Schedules, one `[[plugin.schedules]]` table each.' }),
    poller: pollerSchema.optional().meta({ description: 'Poller kinds this plugin serves.' }),
    locking: lockingSchema.optional().meta({ description: 'Lock backend this plugin provides.' }),
    // A custom check rather than z.record: a record copies keys into a new object, where `__proto__` would vanish.
    metadata: z
      .custom<Record<string, unknown>>(isTable, { error: 'must be a table', params: { code: 'wrong_type' } })
      .transform((v) => toJsonValue(v) as { [key: string]: JsonValue })
      .optional()
      .meta({ description: 'Free-form data; the only table where any key is accepted.', type: 'object', additionalProperties: true }),
  })
  .transform(camelCaseKeys);

/**
 * The zod schema of a whole plugin.toml document (as parsed TOML, with
 * snake_case keys). Parsing yields a {@link Manifest}: camelCase keys,
 * defaults applied.
 */
export const manifestSchema = z
  .strictObject({
    plugin: pluginSchema.meta({ description: 'The plugin this folder ships.' }),
  })
  .transform(camelCaseKeys)
  .meta({ title: 'Belfry plugin manifest (plugin.toml)' });

/** A validated plugin manifest: camelCase keys, defaults applied. */
export type Manifest = z.output<typeof manifestSchema>;

/** The `[plugin]` table of a validated manifest. */
export type PluginManifest = Manifest['plugin'];

/** One `[[plugin.schedules]]` entry of a validated manifest. */
export type ManifestSchedule = PluginManifest['schedules'][number];

/** One of `CAPABILITIES`. */
export type Capability = (typeof CAPABILITIES)[number];
