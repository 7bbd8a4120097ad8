import type { Rule } from '../core/rule.js';
import type { LockingContext } from './locking-context.js';
import { acquireRules } from './rules/acquire-rules.js';
import { argumentRules } from './rules/argument-rules.js';
import { backendRules } from './rules/backend-rules.js';
import { cleanupRules } from './rules/cleanup-rules.js';
import { expiryRules } from './rules/expiry-rules.js';
import { fenceRules } from './rules/fence-rules.js';
import { keyRules } from './rules/key-rules.js';
import { peerRules } from './rules/peer-rules.js';
import { releaseRules } from './rules/release-rules.js';
import { renewRules } from './rules/renew-rules.js';

/** Every locking rule, in id order. */
export const lockingRules: readonly Rule<LockingContext>[] = [
  ...acquireRules,
  ...expiryRules,
  ...releaseRules,
  ...renewRules,
  ...fenceRules,
  ...keyRules,
  ...argumentRules,
  ...peerRules,
  ...backendRules,
  ...cleanupRules,
].sort((a, b) => a.id.localeCompare(b.id));
