import type { StatefulSnapshot } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check } from '../../core/check.js';
import type { SnapshotStoreContext } from '../snapshot-store-context.js';
import { filled } from '../store-steps.js';

const WRITERS = 20;

/** Writer i saves version i + 1 holding (i + 1) × 16 KiB of the byte value i + 1. */
function payload(i: number): StatefulSnapshot {
  return filled('contended', i + 1, (i + 1) * 16 * 1024, i + 1);
}

/** Fails unless `loaded` is exactly one writer's snapshot, not a mix. */
function checkWhole(loaded: StatefulSnapshot | null, step: string): void {
  if (loaded === null) return;
  check(loaded.bytes.length > 0, `${step}: load returned an empty payload, which no writer saved (a save was seen half done)`);
  const fill = loaded.bytes[0];
  check(fill !== undefined && fill >= 1 && fill <= WRITERS, `${step}: loaded bytes start with ${String(fill)}, which no writer wrote`);
  const expected = payload(fill - 1);
  check(loaded.version === expected.version, `${step}: version ${loaded.version} came with writer ${fill}'s bytes (a mix of two saves)`);
  check(loaded.bytes.length === expected.bytes.length, `${step}: ${loaded.bytes.length} bytes where writer ${fill} saved ${expected.bytes.length} (a mix or a truncation)`);
  const stray = loaded.bytes.findIndex((byte) => byte !== fill);
  check(stray === -1, `${step}: byte ${stray} is ${loaded.bytes[stray]} inside writer ${fill}'s payload (two saves interleaved)`);
}

export const concurrencyRules: Rule<SnapshotStoreContext>[] = [
  {
    id: 'STORE-011',
    sentence: 'concurrent saves to one id never interleave: loads during and after 20 concurrent saves each return one whole snapshot',
    async run({ store }) {
      await store.save(filled('contended', 1, 16 * 1024, 1));
      const saves = Array.from({ length: WRITERS }, (_, i) => store.save(payload(i)));
      const loads = Array.from({ length: 5 }, () => store.load('contended'));
      const settled = await Promise.allSettled([...saves, ...loads]);
      const rejected = settled.findIndex((result) => result.status === 'rejected');
      check(rejected === -1, `call ${rejected} rejected: ${String((settled[rejected] as PromiseRejectedResult | undefined)?.reason)}`);
      for (const result of settled.slice(WRITERS)) checkWhole((result as PromiseFulfilledResult<StatefulSnapshot | null>).value, 'a load during the saves');
      const final = await store.load('contended');
      check(final !== null, 'after the saves: load resolved null');
      checkWhole(final, 'after the saves');
    },
  },
];
