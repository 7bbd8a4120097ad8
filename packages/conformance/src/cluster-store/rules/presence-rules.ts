import type { LiveNode, NodeInfo, Presence } from '@belfry/plugin-api';
import { check } from '../../core/check.js';
import type { Rule } from '../../core/rule.js';
import { mustRejectInvalid, show } from '../../cursor-store/cursor-steps.js';
import { sameData } from '../cluster-steps.js';
import type { PresenceContext } from '../presence-context.js';

function node(nodeId: string, fields: Partial<NodeInfo> = {}): NodeInfo {
  return { nodeId, version: '1.4.2', startedAt: 1_780_000_000_000, backend: 'redis', status: 'running', ...fields };
}

/** What `list` says without `lastSeenAt`, for comparing with what was published. */
function withoutSeen(nodes: readonly LiveNode[]): NodeInfo[] {
  return nodes.map(({ lastSeenAt: _seen, ...info }) => info);
}

async function listedIds(presence: Presence): Promise<string[]> {
  return (await presence.list()).map((entry) => entry.nodeId);
}

/** Publishing, listing, expiry and withdrawal of live nodes. */
export const presenceRules: Rule<PresenceContext>[] = [
  {
    id: 'PRESENCE-001',
    sentence: 'a presence store nobody published to lists no nodes',
    async run({ store }) {
      const nodes = await store.list();
      check(sameData(nodes, []), `an empty store listed ${show(nodes)}`);
    },
  },
  {
    id: 'PRESENCE-002',
    sentence: "a published node is listed with exactly what it published, and lastSeenAt is the store clock's time of the publish",
    async run({ store, now, shortMs }) {
      const published = node('node-a', { version: 'v2 ünï', status: 'starting', backend: 'pg' });
      const before = await now();
      await store.publish(published, 100 * shortMs);
      const after = await now();
      const nodes = await store.list();
      check(sameData(withoutSeen(nodes), [published]), `after one publish the store listed ${show(nodes)}`);
      const seen = nodes[0]!.lastSeenAt;
      check(Number.isSafeInteger(seen) && seen >= before - shortMs && seen <= after + shortMs, `lastSeenAt ${show(seen)} is not the time of the publish (${before}–${after})`);
    },
  },
  {
    id: 'PRESENCE-003',
    sentence: 'publishing again replaces what the node said before, and it stays listed once',
    async run({ store, shortMs }) {
      await store.publish(node('node-a'), 100 * shortMs);
      await store.publish(node('node-a', { status: 'stopping', version: '1.5.0' }), 100 * shortMs);
      const nodes = await store.list();
      check(sameData(withoutSeen(nodes), [node('node-a', { status: 'stopping', version: '1.5.0' })]), `after a second publish the store listed ${show(nodes)}`);
    },
  },
  {
    id: 'PRESENCE-004',
    sentence: 'a node whose TTL runs out without a new publish drops out of the list',
    async run({ store, elapse, shortMs, eventually }) {
      await store.publish(node('node-short'), shortMs);
      await store.publish(node('node-long'), 100 * shortMs);
      await elapse(2 * shortMs);
      await eventually(async () => sameData(await listedIds(store), ['node-long']), `a node published with a TTL of ${shortMs} ms was still listed after ${2 * shortMs} ms`);
    },
  },
  {
    id: 'PRESENCE-005',
    sentence: 'a node stays listed until its TTL runs out, and publishing again restarts the TTL',
    async run({ store, elapse, shortMs }) {
      const ttlMs = 10 * shortMs;
      await store.publish(node('node-a'), ttlMs);
      await elapse(6 * shortMs);
      check(sameData(await listedIds(store), ['node-a']), `a node was dropped ${6 * shortMs} ms into a TTL of ${ttlMs} ms`);
      await store.publish(node('node-a'), ttlMs);
      await elapse(6 * shortMs);
      check(sameData(await listedIds(store), ['node-a']), `a node published again was dropped ${12 * shortMs} ms after its first publish: the second publish did not restart its TTL`);
    },
  },
  {
    id: 'PRESENCE-006',
    sentence: 'withdraw removes a node at once, other nodes stay, and withdrawing an unknown node is not an error',
    async run({ store, shortMs }) {
      await store.publish(node('node-a'), 100 * shortMs);
      await store.publish(node('node-b'), 100 * shortMs);
      await store.withdraw('node-a');
      check(sameData(await listedIds(store), ['node-b']), 'a withdrawn node was still listed, or another node went with it');
      await store.withdraw('never-published');
      await store.withdraw('node-a');
      check(sameData(await listedIds(store), ['node-b']), 'withdrawing an unknown node changed the list');
    },
  },
  {
    id: 'PRESENCE-007',
    sentence: 'instances on the same backend see one list: a node published through one is listed by another, and withdrawn through it',
    async run({ store, peer, shortMs }) {
      const other = await peer();
      await store.publish(node('node-a'), 100 * shortMs);
      await other.publish(node('node-b', { backend: 'pg' }), 100 * shortMs);
      for (const presence of [store, other]) {
        const nodes = await presence.list();
        check(sameData(withoutSeen(nodes), [node('node-a'), node('node-b', { backend: 'pg' })]), `an instance listed ${show(nodes)} instead of both nodes`);
      }
      await other.withdraw('node-a');
      check(sameData(await listedIds(store), ['node-b']), 'a node withdrawn through another instance was still listed');
    },
  },
  {
    id: 'PRESENCE-008',
    sentence: 'list returns every live node once, sorted by nodeId',
    async run({ store, shortMs }) {
      const ids = ['node-10', 'node-2', 'a', 'Zulu', 'node-1', 'ünï'];
      await Promise.all(ids.map((id) => store.publish(node(id), 100 * shortMs)));
      const listed = await listedIds(store);
      const expected = [...ids].sort();
      check(sameData(listed, expected), `the store listed ${show(listed)}, expected ${show(expected)}`);
    },
  },
  {
    id: 'PRESENCE-009',
    sentence: 'bad arguments (a malformed node, an unknown status, a TTL that is not a positive integer, a bad node id) reject with invalid_argument naming the value, and publish nothing',
    async run({ store }) {
      const bad: [unknown, string][] = [
        [{ ...node('n'), nodeId: '' }, 'nodeId'],
        [{ ...node('n'), status: 'asleep' }, '"asleep"'],
        [{ ...node('n'), startedAt: -5 }, '-5'],
        [{ ...node('n'), backend: 3 }, '3'],
        [{ ...node('n'), extra: true }, 'extra'],
        [null, 'null'],
      ];
      for (const [info, shown] of bad) await mustRejectInvalid(() => store.publish(info as NodeInfo, 1000), shown, `publish(${show(info)})`);
      for (const [ttl, shown] of [[0, '0'], [-1, '-1'], [1.5, '1.5'], [Number.NaN, 'NaN'], ['1000', '"1000"']] as const) {
        await mustRejectInvalid(() => store.publish(node('n'), ttl as number), shown, `publish with ttlMs ${show(ttl)}`);
      }
      for (const [id, shown] of [['', '""'], [42, '42']] as const) await mustRejectInvalid(() => store.withdraw(id as string), shown, `withdraw(${show(id)})`);
      check((await store.list()).length === 0, 'a rejected publish listed a node');
    },
  },
];
