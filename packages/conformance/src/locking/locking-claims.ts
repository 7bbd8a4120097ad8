import { InvalidArgumentError, type LockingPlugin, type LockingSupports } from '@belfry/plugin-api';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { LockingCapabilities, LockingConformance } from './locking-conformance.js';

/** Every key `capabilities` may hold. */
const LOCKING_CAPABILITY_KEYS = ['fences', 'fenceKey', 'peers', 'unreachable', 'cleanup', 'maxKeyLength', 'maxCallMs'] as const;

/** The contract's bound on every call, in ms. */
export const CONTRACT_MAX_CALL_MS = 2000;
const DEFAULT_MAX_KEY_LENGTH = 2000;

type Flag = 'fences' | 'fenceKey' | 'peers' | 'unreachable' | 'cleanup';

/** What the suite checks a backend for: a reason per flag that is not claimed, and the limits it checks. */
export interface LockingClaims {
  notClaimed: Partial<Record<Flag, string>>;
  maxKeyLength: number;
  maxCallMs: number;
}

/**
 * Merges what the caller declares with what the backend declares. Without
 * an instance (before any exists), flags the backend's `supports` would
 * decide are assumed claimed. Throws InvalidArgumentError when the caller
 * claims more than the backend's `supports`, or a flag its factory cannot serve.
 */
export function lockingClaims(target: LockingConformance, instance?: LockingPlugin): LockingClaims {
  const where = `${target.name}: capabilities`;
  const declared: LockingCapabilities = target.capabilities ?? {};
  assertKnownKeys(declared, LOCKING_CAPABILITY_KEYS, where);
  const supports = instance?.supports;
  const known = instance !== undefined;
  const notClaimed: Partial<Record<Flag, string>> = {};

  const fromSupports = (flag: 'fences' | 'fenceKey' | 'peers'): void => {
    const claim = declared[flag];
    if (claim === true && supports !== undefined && supports[flag] !== true) {
      throw new InvalidArgumentError(`${where}.${flag} is true but the backend's supports.${flag} is ${String(supports[flag])}; remove it: a caller may only claim less than supports declares`);
    }
    if (claim === false) notClaimed[flag] = flag;
    else if (claim === undefined && supports !== undefined && supports[flag] !== true) notClaimed[flag] = `${flag} (supports.${flag} is ${String(supports[flag])})`;
    else if (claim === undefined && supports === undefined && known) notClaimed[flag] = `${flag} (the backend declares no supports and the caller did not claim it)`;
  };
  fromSupports('fences');
  fromSupports('fenceKey');
  fromSupports('peers');
  needsFactory(target, 'peers', 'createPeer', notClaimed);
  needsFactory(target, 'unreachable', 'createUnreachable', notClaimed);

  if (declared.cleanup === false) notClaimed.cleanup = 'cleanup';
  else if (known && typeof instance.cleanup !== 'function') {
    if (declared.cleanup === true) throw new InvalidArgumentError(`${where}.cleanup is true but the backend has no cleanup() method`);
    notClaimed.cleanup = 'cleanup (the backend has no cleanup())';
  } else if (known && declared.cleanup === undefined && supports === undefined) {
    notClaimed.cleanup = 'cleanup (the backend declares no supports; claim it with capabilities.cleanup: true)';
  }

  return {
    notClaimed,
    maxKeyLength: limit(declared.maxKeyLength, supports?.maxKeyLength, DEFAULT_MAX_KEY_LENGTH, 'maxKeyLength', 'shorter', where),
    maxCallMs: limit(declared.maxCallMs, supports?.maxCallMs, CONTRACT_MAX_CALL_MS, 'maxCallMs', 'longer', where),
  };
}

/** A flag its factory function is missing for: an error when claimed outright, otherwise not claimed. */
function needsFactory(
  target: LockingConformance,
  flag: 'peers' | 'unreachable',
  method: 'createPeer' | 'createUnreachable',
  notClaimed: Partial<Record<Flag, string>>,
): void {
  if (target.factory[method] !== undefined) {
    if (target.capabilities?.[flag] === false) notClaimed[flag] = flag;
    return;
  }
  if (target.capabilities?.[flag] === true) {
    throw new InvalidArgumentError(`${target.name}: capability "${flag}" is claimed but factory.${method} is missing`);
  }
  notClaimed[flag] ??= `${flag} (factory.${method} is not given)`;
}

/** A declared limit may only claim less than the backend's: a `shorter` key limit, a `longer` call bound. */
function limit(
  declared: number | undefined,
  supported: LockingSupports['maxKeyLength'] | undefined,
  fallback: number,
  name: 'maxKeyLength' | 'maxCallMs',
  less: 'shorter' | 'longer',
  where: string,
): number {
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared <= 0)) {
    throw new InvalidArgumentError(`${where}.${name} must be a positive integer (got ${String(declared)})`);
  }
  if (declared !== undefined && supported !== undefined) {
    const claimsMore = less === 'shorter' ? declared > supported : declared < supported;
    if (claimsMore) {
      throw new InvalidArgumentError(`${where}.${name} is ${declared} but the backend's supports.${name} is ${supported}; declare it ${less} or remove it`);
    }
  }
  return declared ?? supported ?? fallback;
}
