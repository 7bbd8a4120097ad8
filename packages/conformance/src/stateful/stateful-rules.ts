import type { Rule } from '../core/rule.js';
import type { StatefulContext } from './stateful-context.js';
import { restoreRules } from './rules/restore-rules.js';
import { snapshotRules } from './rules/snapshot-rules.js';
import { versionRules } from './rules/version-rules.js';

/** Every stateful-plugin rule, in id order. */
export const statefulRules: readonly Rule<StatefulContext>[] = [...snapshotRules, ...restoreRules, ...versionRules].sort((a, b) =>
  a.id.localeCompare(b.id),
);
