import { describe, expect, it } from 'vitest';
import { PLUGIN_ID_PATTERN, StatefulRegistry } from '../src/index.js';
import { CounterPlugin } from '../src/example.js';
import { pluginWith } from './support/test-plugins.js';

describe('StatefulRegistry', () => {
  it('lists registered plugins and ids in registration order', () => {
    const registry = new StatefulRegistry();
    const b = new CounterPlugin({ id: 'b' });
    const a = new CounterPlugin({ id: 'a' });
    registry.register(b);
    registry.register(a);
    expect(registry.list()).toEqual([b, a]);
    expect(registry.ids()).toEqual(['b', 'a']);
    expect(registry.get('a')).toBe(a);
    expect(registry.has('b')).toBe(true);
    expect(registry.has('c')).toBe(false);
  });

  it('unregister removes a plugin, reports whether one was there, and frees the id', () => {
    const registry = new StatefulRegistry();
    registry.register(new CounterPlugin({ id: 'job' }));
    expect(registry.unregister('job')).toBe(true);
    expect(registry.unregister('job')).toBe(false);
    expect(registry.list()).toEqual([]);
    registry.register(new CounterPlugin({ id: 'job' }));
    expect(registry.ids()).toEqual(['job']);
  });

  it('rejects a duplicate id with a message naming both registrations', () => {
    const registry = new StatefulRegistry();
    registry.register(new CounterPlugin({ id: 'rotator' }), { source: 'plugins/log-rotator/plugin.toml' });
    expect(() => registry.register(new CounterPlugin({ id: 'rotator' }), { source: 'plugins/other/plugin.toml' })).toThrow(
      'plugin id "rotator" is already registered by plugins/log-rotator/plugin.toml; refusing plugins/other/plugin.toml',
    );
    expect(registry.list()).toHaveLength(1);
  });

  it('names registrations without a source by class and registration number', () => {
    const registry = new StatefulRegistry();
    registry.register(new CounterPlugin({ id: 'x' }));
    expect(() => registry.register(pluginWith('x', () => null))).toThrow(
      /already registered by CounterPlugin \(registration #1\); refusing Object \(registration #2\)/,
    );
  });

  it.each([
    ['', '""'],
    ['Upper', '"Upper"'],
    ['-leading-dash', '"-leading-dash"'],
    ['has/slash', '"has/slash"'],
    ['has space', '"has space"'],
    ['a'.repeat(129), 'string of length 129'],
    [42, '42'],
    [undefined, 'undefined'],
  ])('rejects the id %j with invalid_argument naming it and the pattern', (id, shownAs) => {
    const registry = new StatefulRegistry();
    let error: unknown;
    try {
      registry.register(pluginWith(id as string, () => null));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect((error as Error).message).toContain(shownAs);
    expect((error as Error).message).toContain(PLUGIN_ID_PATTERN.source);
  });

  it('accepts ids of 1 to 128 lower-case letters, digits, dots, dashes and underscores', () => {
    const registry = new StatefulRegistry();
    for (const id of ['a', '0', 'scheduler.core', 'log_rotator-2', 'a'.repeat(128)]) registry.register(pluginWith(id, () => null));
    expect(registry.ids()).toHaveLength(5);
  });

  it('rejects a plugin that is not an object, has no snapshot method or a restoreSnapshot that is not a function', () => {
    const registry = new StatefulRegistry();
    expect(() => registry.register(null as never)).toThrow(/plugin must be an object with id and snapshot\(\), got null/);
    expect(() => registry.register({ id: 'p' } as never)).toThrow(/plugin "p" has no snapshot\(\) method \(got undefined\)/);
    expect(() => registry.register({ id: 'p', snapshot: () => null, restoreSnapshot: 'no' } as never)).toThrow(
      /restoreSnapshot must be a function or absent/,
    );
    expect(() => registry.register(new CounterPlugin(), { source: '' })).toThrow(/options.source must be a non-empty string/);
    expect(() => registry.register(new CounterPlugin(), null as never)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('options must be an object { source? }, got null') }),
    );
    expect(registry.list()).toEqual([]);
  });
});
