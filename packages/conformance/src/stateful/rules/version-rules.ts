import type { StatefulSnapshot } from '@belfry/plugin-api';
import type { Rule } from '../../core/rule.js';
import { check, codeOf } from '../../core/check.js';
import type { StatefulContext } from '../stateful-context.js';
import { copyOf, describeSnapshot, mustSnapshot, restoreInto, sameState } from '../stateful-steps.js';

/** Versions the plugin must refuse: just past and far past the newest it reads, and just below the oldest. */
function refusedVersions(reads: readonly number[]): number[] {
  const newest = Math.max(...reads);
  const oldest = Math.min(...reads);
  const candidates = [newest + 1, Math.min(newest + 1000, 0xffff_ffff), oldest - 1];
  return [...new Set(candidates)].filter((v) => v >= 1 && v <= 0xffff_ffff && !reads.includes(v));
}

async function readableVersions(context: StatefulContext): Promise<{ reads: readonly number[]; written: StatefulSnapshot }> {
  const written = await mustSnapshot(context.plugin, 'snapshot');
  return { reads: context.readsVersions ?? [written.version], written };
}

export const versionRules: Rule<StatefulContext>[] = [
  {
    id: 'STATE-009',
    sentence: 'the version snapshot writes is one the plugin declares it reads',
    requires: ['restore'],
    async run(context) {
      const { reads, written } = await readableVersions(context);
      check(reads.includes(written.version), `snapshot writes version ${written.version} but the plugin declares it reads only ${reads.join(', ')}`);
    },
  },
  {
    id: 'STATE-010',
    sentence: 'restoring a version the plugin does not read rejects with UnsupportedVersionError (code unsupported_version) naming the plugin, that version and the versions it reads',
    requires: ['restore'],
    async run(context) {
      const { reads, written } = await readableVersions(context);
      for (const version of refusedVersions(reads)) {
        const target = await context.fresh();
        let refusal: unknown;
        try {
          await restoreInto(target, { ...copyOf(written), version });
        } catch (error) {
          refusal = error;
        }
        check(refusal !== undefined, `restoring version ${version} resolved; the plugin reads only ${reads.join(', ')}`);
        check(codeOf(refusal) === 'unsupported_version', `restoring version ${version} rejected with ${codeOf(refusal) ?? String(refusal)} instead of unsupported_version`);
        const details = refusal as { plugin?: unknown; version?: unknown; expected?: unknown };
        check(details.plugin === target.id, `the UnsupportedVersionError names plugin ${JSON.stringify(details.plugin)}, not ${JSON.stringify(target.id)}`);
        check(details.version === version, `the UnsupportedVersionError names version ${String(details.version)}, not ${version}`);
        check(
          Array.isArray(details.expected) && reads.every((v) => (details.expected as unknown[]).includes(v)),
          `the UnsupportedVersionError expects ${JSON.stringify(details.expected)}, which leaves out versions it reads (${reads.join(', ')})`,
        );
      }
    },
  },
  {
    id: 'STATE-011',
    sentence: 'a refused restore leaves the state exactly as it was',
    requires: ['restore'],
    async run(context) {
      const { reads } = await readableVersions(context);
      const donor = await context.fresh();
      for (let i = 0; i < 3; i += 1) await context.change(donor);
      const foreign = copyOf(await mustSnapshot(donor, 'snapshot of another instance'));
      const target = await context.fresh();
      await context.change(target);
      const before = copyOf(await mustSnapshot(target, 'before the refused restore'));
      for (const version of refusedVersions(reads)) {
        await Promise.resolve()
          .then(() => restoreInto(target, { ...foreign, version }))
          .catch(() => undefined);
        const after = await mustSnapshot(target, `after refusing version ${version}`);
        check(sameState(before, after), `restoring refused version ${version} changed the state from ${describeSnapshot(before)} to ${describeSnapshot(after)}`);
      }
    },
  },
];
