import type { Rule } from '../core/rule.js';
import type { SnapshotStoreContext } from './snapshot-store-context.js';
import { argumentRules } from './rules/argument-rules.js';
import { basicRules } from './rules/basic-rules.js';
import { concurrencyRules } from './rules/concurrency-rules.js';
import { fenceRules } from './rules/fence-rules.js';
import { isolationRules } from './rules/isolation-rules.js';
import { payloadRules } from './rules/payload-rules.js';
import { persistenceRules } from './rules/persistence-rules.js';

/** Every snapshot-store rule, in id order. */
export const snapshotStoreRules: readonly Rule<SnapshotStoreContext>[] = [
  ...basicRules,
  ...isolationRules,
  ...payloadRules,
  ...concurrencyRules,
  ...argumentRules,
  ...persistenceRules,
  ...fenceRules,
].sort((a, b) => a.id.localeCompare(b.id));
