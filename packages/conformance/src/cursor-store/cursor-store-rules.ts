import type { Rule } from '../core/rule.js';
import type { CursorStoreContext } from './cursor-store-context.js';
import { argumentRules } from './rules/argument-rules.js';
import { fenceRules } from './rules/fence-rules.js';
import { valueRules } from './rules/value-rules.js';

/** Every cursor-store rule, in id order. */
export const cursorStoreRules: readonly Rule<CursorStoreContext>[] = [...fenceRules, ...valueRules, ...argumentRules].sort((a, b) =>
  a.id.localeCompare(b.id),
);
