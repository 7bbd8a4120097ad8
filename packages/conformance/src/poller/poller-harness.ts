import { InvalidArgumentError, PLUGIN_API_VERSION } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { assertKnownKeys } from '../core/assert-known-keys.js';
import type { RuleHarness } from '../core/harness.js';
import type { PollerConformance } from './poller-conformance.js';
import type { PollerContext } from './poller-context.js';
import { PollerSession } from './poller-session.js';
import { readPollerManifest } from './read-poller-manifest.js';

const NOT_CLAIMED: Record<string, string> = {
  cancel: 'cancel (give slowTick: a tick that runs until it is cancelled)',
  long_lived: 'long_lived (an ephemeral poller gets one tick per process)',
};

/** Reads the plugin's manifest once, then gives each rule fresh poller processes and kills every one of them afterwards. */
export function pollerHarness(target: PollerConformance): RuleHarness<PollerContext> {
  const { name, ticks = {}, slowTick, env = {} } = target;
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`poller conformance: name must be a non-empty string, got ${describeValue(name)}`);
  const manifest = readPollerManifest(target.folder);
  assertKnownKeys(ticks, manifest.kinds, `${name}: ticks (keyed by the kinds of ${manifest.folder}/plugin.toml)`);
  if (slowTick !== undefined && !manifest.kinds.includes(slowTick.kind)) {
    throw new InvalidArgumentError(`${name}: slowTick.kind must be one of the manifest's kinds (${manifest.kinds.join(', ')}), got ${describeValue(slowTick.kind)}`);
  }
  for (const [variable, value] of Object.entries(env)) {
    if (typeof value !== 'string') throw new InvalidArgumentError(`${name}: env.${variable} must be a string, got ${typeof value}`);
  }
  const timeoutMs = manifest.tickTimeoutMs;
  const claimed = { cancel: slowTick !== undefined, long_lived: manifest.lifecycle === 'long_lived' } as Record<string, boolean>;
  return {
    ruleTimeoutMs: target.ruleTimeoutMs ?? 4 * timeoutMs + 10_000,
    claims: (capability) => claimed[capability] === true,
    notClaimedReason: (capability) => NOT_CLAIMED[capability] ?? capability,
    async open() {
      const sessions: PollerSession[] = [];
      const context: PollerContext = {
        manifest,
        slowTick,
        spawn() {
          const session = new PollerSession(manifest, env);
          sessions.push(session);
          return session;
        },
        async start() {
          const session = context.spawn();
          const params = { apiVersion: PLUGIN_API_VERSION, plugin: manifest.id, kinds: manifest.kinds };
          const reply = await session.request('initialize', params, timeoutMs).reply;
          if ('error' in reply) throw new Error(`initialize was answered with an error: ${reply.error.message}${session.stderrHint()}`);
          return session;
        },
        tickParams(kind, input = ticks[kind] ?? {}) {
          const now = Date.now();
          const { config = {}, cursor = null } = input;
          return { job: 'conformance', kind, scheduledAt: now, isCatchup: false, fence: 1, deadline: now + timeoutMs, cursor, config };
        },
        tick(session, params) {
          return session.request(manifest.tickMethod, params, timeoutMs, `the ${params.kind} tick`).reply;
        },
        async next(session) {
          if (manifest.lifecycle === 'long_lived') return session;
          void session.request('shutdown', {}, timeoutMs).reply.catch(() => {});
          return context.start();
        },
      };
      return {
        context,
        async close() {
          await Promise.all(sessions.map((session) => session.destroy()));
        },
      };
    },
  };
}
