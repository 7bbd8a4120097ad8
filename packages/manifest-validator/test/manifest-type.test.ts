import type { JsonValue, LockingHint, MissedRunPolicy, Schedule } from '@belfry/plugin-api';
import { describe, expectTypeOf, it } from 'vitest';
import type { Manifest, ManifestSchedule, PluginManifest } from '../src/index.js';

describe('the Manifest type derived from the schema', () => {
  it('has camelCase keys with defaulted fields required', () => {
    expectTypeOf<PluginManifest>().toHaveProperty('apiVersion').toEqualTypeOf<string>();
    expectTypeOf<PluginManifest>().not.toHaveProperty('api_version');
    expectTypeOf<ManifestSchedule['jitterMs']>().toEqualTypeOf<number>();
    expectTypeOf<ManifestSchedule['timezone']>().toEqualTypeOf<string>();
    expectTypeOf<ManifestSchedule['missedRunPolicy']>().toEqualTypeOf<MissedRunPolicy>();
    expectTypeOf<ManifestSchedule['locking']>().toEqualTypeOf<LockingHint>();
    expectTypeOf<NonNullable<PluginManifest['poller']>['maxConcurrentTicks']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<PluginManifest['poller']>['lifecycle']>().toEqualTypeOf<'long_lived' | 'ephemeral'>();
  });

  it('gives schedules that a ScheduledPlugin can return as they are', () => {
    expectTypeOf<ManifestSchedule>().toExtend<Schedule>();
    expectTypeOf<Manifest['plugin']['schedules']>().toExtend<Schedule[]>();
  });

  it('keeps free-form data as JSON values', () => {
    expectTypeOf<NonNullable<PluginManifest['metadata']>>().toEqualTypeOf<{ [key: string]: JsonValue }>();
    expectTypeOf<Exclude<ManifestSchedule['config'], undefined>>().toEqualTypeOf<JsonValue>();
  });
});
