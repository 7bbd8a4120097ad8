import { describe, expect, it, vi } from 'vitest';
import type { LifecyclePlugin } from '@belfry/plugin-api';
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

  it('moves on from a hook that outlives its timeout', async () => {
    const logger = quietLogger();
    const reached = vi.fn();
    const plugins: LifecyclePlugin[] = [{ name: 'hangs', onReload: () => new Promise(() => {}) }, { name: 'next', onReload: reached }];
    const outcomes = await dispatchLifecycle(plugins, 'onReload', () => [], { timeoutMs: 30, logger });
    expect(outcomes[0]).toMatchObject({ plugin: 'hangs', outcome: 'timeout', error: 'onReload did not finish within 30 ms' });
    expect(reached).toHaveBeenCalledOnce();
  });

  it('passes each plugin its own arguments', async () => {
    const seen: unknown[] = [];
    const plugins: LifecyclePlugin[] = ['a', 'b'].map((name) => ({ name, onServerStart: (config) => void seen.push(config) }));
    await dispatchLifecycle(plugins, 'onServerStart', (plugin) => [{ for: plugin.name }], { timeoutMs: 100, logger: quietLogger() });
    expect(seen).toEqual([{ for: 'a' }, { for: 'b' }]);
  });
});
