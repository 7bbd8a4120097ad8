import { InvalidArgumentError, NODE_STATUSES, type NodeInfo } from '@belfry/plugin-api';
import { assertInteger, assertName, assertObject, assertOnlyKeys } from './assert-name.js';
import { assertOneOf } from './assert-run-record.js';

/** Longest presence TTL: setTimeout's limit, about 24.8 days. */
export const MAX_PRESENCE_TTL_MS = 2_147_483_647;

const NODE_KEYS = ['nodeId', 'version', 'startedAt', 'backend', 'status'];

/** Throws InvalidArgumentError unless `node` is a valid NodeInfo; the message names the field. */
export function assertNodeInfo(node: unknown, where: string): asserts node is NodeInfo {
  assertObject(node, 'node', where);
  assertOnlyKeys(node, NODE_KEYS, 'node', where);
  assertName(node.nodeId, 'node.nodeId', where);
  assertName(node.version, 'node.version', where);
  assertInteger(node.startedAt, 'node.startedAt', where, 0);
  assertName(node.backend, 'node.backend', where);
  assertOneOf(node.status, NODE_STATUSES, 'node.status', where);
}

/** Throws InvalidArgumentError unless `ttlMs` is a whole number of ms from 1 to {@link MAX_PRESENCE_TTL_MS}. */
export function assertPresenceTtlMs(ttlMs: unknown, where: string): asserts ttlMs is number {
  assertInteger(ttlMs, 'ttlMs', where, 1);
  if (ttlMs > MAX_PRESENCE_TTL_MS) throw new InvalidArgumentError(`${where}: ttlMs must be at most ${MAX_PRESENCE_TTL_MS}, got ${ttlMs}`);
}
