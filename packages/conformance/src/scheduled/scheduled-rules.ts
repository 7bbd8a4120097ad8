import type { Rule } from '../core/rule.js';
import type { ScheduledContext } from './scheduled-context.js';
import { declarationRules } from './rules/declaration-rules.js';
import { runRules } from './rules/run-rules.js';

/** Every scheduled-plugin rule, in id order. */
export const scheduledPluginRules: readonly Rule<ScheduledContext>[] = [...declarationRules, ...runRules];
