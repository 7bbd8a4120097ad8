import type { Rule } from '../core/rule.js';
import type { PollerContext } from './poller-context.js';
import { cancelRules } from './rules/cancel-rules.js';
import { exitRules } from './rules/exit-rules.js';
import { hygieneRules } from './rules/hygiene-rules.js';
import { tickRules } from './rules/tick-rules.js';

/** Every poller rule, in id order. */
export const pollerRules: readonly Rule<PollerContext>[] = [...tickRules, ...cancelRules, ...exitRules, ...hygieneRules].sort((a, b) => a.id.localeCompare(b.id));
