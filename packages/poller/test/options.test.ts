import { describe, expect, test } from 'vitest';
import { MemoryCursorStore, PollerRuntime, type PollerPluginConfig } from '../src/index.js';
import { pollerCommand } from '../src/process/poller-command.js';
import { resolvePlugins } from '../src/resolve-plugins.js';

const good: PollerPluginConfig = { id: 'feeds', folder: '/srv/plugins/feeds', entry: './dist/poller.js', poller: { kinds: ['rss'], brokerTopicPrefix: 'poller' } };

describe('PollerRuntime options', () => {
  test('applies the manifest defaults: long_lived, 1 tick per kind, 60 s', () => {
    expect(resolvePlugins([good])[0]).toMatchObject({ entryPath: '/srv/plugins/feeds/dist/poller.js', tickMethod: 'poller.tick', lifecycle: 'long_lived', maxConcurrentTicks: 1, tickTimeoutMs: 60_000 });
  });

  const bad: Array<[string, unknown, string]> = [
    ['plugins not an array', { plugins: {} }, 'options.plugins must be an array'],
    ['an id that is not a plugin id', { plugins: [{ ...good, id: 'Feeds!' }] }, 'options.plugins[0].id must match ^[a-z][a-z0-9_-]{0,62}$'],
    ['a relative folder', { plugins: [{ ...good, folder: 'plugins/feeds' }] }, 'plugin "feeds": folder must be an absolute path'],
    ['an entry leaving the folder', { plugins: [{ ...good, entry: '../other/x.js' }] }, 'entry "../other/x.js" leaves the plugin folder'],
    ['an absolute entry', { plugins: [{ ...good, entry: '/bin/sh' }] }, 'entry must be a path relative to the plugin folder'],
    ['no kinds', { plugins: [{ ...good, poller: { ...good.poller, kinds: [] } }] }, 'poller.kinds must be a non-empty array'],
    ['a bad kind', { plugins: [{ ...good, poller: { ...good.poller, kinds: ['Rss'] } }] }, 'poller.kinds[0] must match ^[a-z][a-z0-9_]+$'],
    ['a duplicate kind', { plugins: [{ ...good, poller: { ...good.poller, kinds: ['rss', 'rss'] } }] }, 'poller.kinds lists "rss" twice'],
    ['a trailing dot', { plugins: [{ ...good, poller: { ...good.poller, brokerTopicPrefix: 'poller.' } }] }, 'brokerTopicPrefix must be a non-empty string without whitespace or a trailing "."'],
    ['an unknown lifecycle', { plugins: [{ ...good, poller: { ...good.poller, lifecycle: 'forever' } }] }, 'poller.lifecycle must be one of long_lived, ephemeral'],
    ['65 concurrent ticks', { plugins: [{ ...good, poller: { ...good.poller, maxConcurrentTicks: 65 } }] }, 'maxConcurrentTicks must be an integer from 1 to 64, got 65'],
    ['a zero timeout', { plugins: [{ ...good, poller: { ...good.poller, tickTimeoutSecs: 0 } }] }, 'tickTimeoutSecs must be an integer from 1 to 3600, got 0'],
    ['a bad env name', { plugins: [{ ...good, env: { 'A-B': 'x' } }] }, 'env name "A-B" is not a valid variable name'],
    ['a kind claimed twice', { plugins: [good, { ...good, id: 'copy' }] }, 'poller kind "rss" is claimed by both "feeds" and "copy"'],
    ['a plugin listed twice', { plugins: [good, { ...good, poller: { ...good.poller, kinds: ['atom'] } }] }, 'plugin id "feeds" is listed twice'],
    ['a heap limit of 0', { plugins: [{ ...good, maxOldSpaceSizeMb: 0 }] }, 'plugin "feeds": maxOldSpaceSizeMb must be an integer number of MiB from 16 to 1048576, got 0'],
    ['a fractional heap limit', { plugins: [{ ...good, maxOldSpaceSizeMb: 64.5 }] }, 'maxOldSpaceSizeMb must be an integer number of MiB from 16 to 1048576, got 64.5'],
    ['a heap limit as a string', { plugins: [{ ...good, maxOldSpaceSizeMb: '64' }] }, 'maxOldSpaceSizeMb must be an integer number of MiB from 16 to 1048576, got "64"'],
    ['a heap limit on a non-Node entry', { plugins: [{ ...good, entry: 'poller.py', maxOldSpaceSizeMb: 64 }] }, 'plugin "feeds": maxOldSpaceSizeMb is a Node heap limit (--max-old-space-size), but entry /srv/plugins/feeds/poller.py is not a .js/.mjs/.cjs file'],
    ['no cursor store', { cursors: {} }, 'options.cursors must be a CursorStore { load, save }'],
    ['a broken clock', { clock: { now: () => 0 } }, 'options.clock must be a Clock { now, setTimer }'],
    ['a tiny line limit', { maxLineBytes: 10 }, 'options.maxLineBytes must be an integer from 1024 to 67108864, got 10'],
  ];
  test.each(bad)('%s is refused with a clear error', (_name, overrides, message) => {
    const options = { plugins: [good], cursors: new MemoryCursorStore(), ...(overrides as object) };
    expect(() => new PollerRuntime(options as never)).toThrow(message);
    try {
      new PollerRuntime(options as never);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('invalid_argument');
    }
  });

  test('an env value is never shown in an error', () => {
    expect(() => resolvePlugins([{ ...good, env: { TOKEN: 5 as never } }])).toThrow('env.TOKEN must be a string without NUL characters, got number');
    expect(() => resolvePlugins([{ ...good, env: { TOKEN: 's3cret-PW\0' } }])).not.toThrow(/s3cret/);
  });
});

describe('runTick arguments', () => {
  const python: PollerPluginConfig = { id: 'py', folder: '/srv/plugins/py', entry: 'poller.py', poller: { kinds: ['py'], brokerTopicPrefix: 'py', lifecycle: 'ephemeral' } };
  const runtime = new PollerRuntime({ plugins: [good, python], cursors: new MemoryCursorStore() });
  test.each([
    [{ kind: 'rss', scheduledAt: 1 }, 'job id must match'],
    [{ job: 'a', kind: 'atom', scheduledAt: 1 }, 'no loaded plugin serves kind "atom" (job "a"); kinds served: rss, py'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1.5 }, 'scheduledAt must be an integer'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, fence: -1 }, 'fence must be a non-negative integer'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, config: { when: new Date() } }, 'config.when is an instance of Date'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, signal: {} }, 'signal must be an AbortSignal'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, isCatchup: 'yes' }, 'isCatchup must be a boolean'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, maxOldSpaceSizeMb: -1 }, 'PollerRuntime.runTick: maxOldSpaceSizeMb must be an integer number of MiB from 16 to 1048576, got -1'],
    [{ job: 'a', kind: 'rss', scheduledAt: 1, maxOldSpaceSizeMb: 64 }, 'job "a": maxOldSpaceSizeMb applies to ephemeral pollers only; plugin "feeds" is long_lived'],
    [{ job: 'a', kind: 'py', scheduledAt: 1, maxOldSpaceSizeMb: 64 }, 'job "a": maxOldSpaceSizeMb is a Node heap limit (--max-old-space-size), but entry /srv/plugins/py/poller.py is not'],
  ])('%j rejects with invalid_argument: %s', async (request, message) => {
    await expect(runtime.runTick(request as never)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining(message) });
  });
});

describe('pollerCommand', () => {
  const [plugin] = resolvePlugins([{ ...good, env: { FEED_TOKEN: 't' }, maxOldSpaceSizeMb: 128 }]);
  test('runs a Node entry with the host\'s Node and the heap limit, in the plugin folder', () => {
    expect(pollerCommand(plugin!, {})).toEqual({ command: process.execPath, args: ['--max-old-space-size=128', '/srv/plugins/feeds/dist/poller.js'], cwd: '/srv/plugins/feeds', env: { FEED_TOKEN: 't' } });
  });
  test('executes any other entry directly, with only PATH, HOME, LANG, TZ and the granted variables', () => {
    const [python] = resolvePlugins([{ ...good, entry: 'poller.py', env: { FEED_TOKEN: 't' } }]);
    const host = { PATH: '/bin', HOME: '/root', LANG: 'C.UTF-8', TZ: 'UTC', DATABASE_URL: 'postgres://u:p@h/db', REDIS_URL: 'redis://h', GITHUB_TOKEN: 'x' };
    expect(pollerCommand(python!, host)).toEqual({ command: '/srv/plugins/feeds/poller.py', args: [], cwd: '/srv/plugins/feeds', env: { PATH: '/bin', HOME: '/root', LANG: 'C.UTF-8', TZ: 'UTC', FEED_TOKEN: 't' } });
  });
});
