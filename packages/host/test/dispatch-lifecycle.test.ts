import { describe, expect, it, vi } from 'vitest';
import type { LifecyclePlugin } from '@belfry/plugin-api';
import { ManualClock } from '@belfry/scheduler-core';
import { dispatchLifecycle } from '../src/dispatch-lifecycle.js';

const quietLogger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('dispatchLifecycle', () => {
  it('calls hooks in ascending priority, ties in registration order, skipping plugins without the hook', async () => {
    const calls: string[] = [];
    const plugin = (name: string, priority?: number): LifecyclePlugin => ({ name, ...(priority === undefined ? {} : { priority }), onReload: () => void calls.push(name) });
    const plugins = [plugin('default-a'), plugin('late', 2000), plugin('early', 1), { name: 'no-hook' }, plugin('default-b')];
    const outcomes = await dispatchLifecycle(plugins, 'onReload', () => [], { timeoutMs: 1000, logger: quietLogger() });
    expect(calls).toEqual(['early', 'default-a', 'default-b', 'late']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('logs a throwing or rejecting hook and still calls the rest', async () => {
    const logger = quietLogger();
    const reached = vi.fn();
    const plugins: LifecyclePlugin[] = [
      { name: 'throws', onServerStop: () => { throw new Error('sync boom'); } },
      { name: 'rejects', onServerStop: async () => Promise.reject(new Error('async boom')) },
      { name: 'fine', onServerStop: reached },
    ];
    const outcomes = await dispatchLifecycle(plugins, 'onServerStop', () => [], { timeoutMs: 1000, logger });
    expect(outcomes.map((o) => [o.plugin, o.outcome, o.error])).toEqual([
      ['throws', 'error', 'sync boom'],
      ['rejects', 'error', 'async boom'],
      ['fine', 'ok', undefined],
    ]);
    expect(reached).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledWith('lifecycle: plugin "throws" onServerStop failed: sync boom', expect.anything());
  });

  it('moves on from a hook that outlives its timeout, timed on the injected clock', async () => {
    const logger = quietLogger();
    const reached = vi.fn();
    const clock = new ManualClock(1_000);
    const plugins: LifecyclePlugin[] = [{ name: 'hangs', onReload: () => new Promise(() => {}) }, { name: 'next', onReload: reached }];
    let done = false;
    const dispatched = dispatchLifecycle(plugins, 'onReload', () => [], { timeoutMs: 5_000, logger, clock }).finally(() => (done = true));
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
    await clock.advance(4_999);
    expect(done).toBe(false);
    expect(reached).not.toHaveBeenCalled();
    await clock.advance(1);
    const outcomes = await dispatched;
    expect(outcomes).toEqual([
      { plugin: 'hangs', outcome: 'timeout', durationMs: 5_000, error: 'onReload did not finish within 5000 ms' },
      { plugin: 'next', outcome: 'ok', durationMs: 0 },
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('isolates hooks that throw values which cannot be turned into text', async () => {
    const logger = quietLogger();
    const reached = vi.fn();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const plugins: LifecyclePlugin[] = [
      { name: 'null-prototype', onReload: () => { throw Object.create(null); } },
      { name: 'revoked-proxy', onReload: async () => Promise.reject(revoked.proxy) },
      { name: 'throwing-getter', onReload: () => { throw Object.defineProperty(new Error('x'), 'message', { get: () => { throw new Error('no'); } }); } },
      { name: 'fine', onReload: reached },
    ];
    const outcomes = await dispatchLifecycle(plugins, 'onReload', () => [], { timeoutMs: 1000, logger });
    expect(outcomes.map((o) => [o.plugin, o.outcome])).toEqual([
      ['null-prototype', 'error'],
      ['revoked-proxy', 'error'],
      ['throwing-getter', 'error'],
      ['fine', 'ok'],
    ]);
    expect(outcomes.every((o) => o.outcome === 'ok' || typeof o.error === 'string')).toBe(true);
    expect(reached).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledTimes(3);
  });

  it('passes each plugin its own arguments', async () => {
    const seen: unknown[] = [];
    const plugins: LifecyclePlugin[] = ['a', 'b'].map((name) => ({ name, onServerStart: (config) => void seen.push(config) }));
    await dispatchLifecycle(plugins, 'onServerStart', (plugin) => [{ for: plugin.name }], { timeoutMs: 100, logger: quietLogger() });
    expect(seen).toEqual([{ for: 'a' }, { for: 'b' }]);
  });
});
