import { isAbsolute, relative, resolve } from 'node:path';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { POLLER_LIFECYCLES, type PollerPluginConfig } from './poller-plugin.js';
import type { ResolvedPlugin } from './resolved-plugin.js';
import { assertMaxOldSpaceMb } from './heap-limit.js';

const PLUGIN_ID = /^[a-z][a-z0-9_-]{0,62}$/;
const KIND = /^[a-z][a-z0-9_]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the runtime's `plugins` option and applies the manifest defaults.
 * Errors name the plugin, the field and the fix; a kind claimed by two
 * plugins is refused, since a tick must have exactly one process to go to.
 */
export function resolvePlugins(plugins: unknown): ResolvedPlugin[] {
  if (!Array.isArray(plugins)) {
    throw new InvalidArgumentError(`PollerRuntime: options.plugins must be an array of { id, folder, entry, poller }, got ${describeValue(plugins)}`);
  }
  const owners = new Map<string, string>();
  const ids = new Set<string>();
  return plugins.map((plugin: unknown, index) => {
    const resolved = resolvePlugin(plugin, `options.plugins[${index}]`);
    if (ids.has(resolved.id)) throw new InvalidArgumentError(`PollerRuntime: plugin id ${JSON.stringify(resolved.id)} is listed twice in options.plugins; list each plugin once`);
    ids.add(resolved.id);
    for (const kind of resolved.kinds) {
      const owner = owners.get(kind);
      if (owner !== undefined) {
        throw new InvalidArgumentError(`PollerRuntime: poller kind ${JSON.stringify(kind)} is claimed by both ${JSON.stringify(owner)} and ${JSON.stringify(resolved.id)}; a kind must belong to exactly one plugin`);
      }
      owners.set(kind, resolved.id);
    }
    return resolved;
  });
}

function resolvePlugin(value: unknown, where: string): ResolvedPlugin {
  const fail: (message: string) => never = (message) => {
    throw new InvalidArgumentError(`PollerRuntime: ${message}`);
  };
  if (typeof value !== 'object' || value === null) fail(`${where} must be an object { id, folder, entry, poller }, got ${describeValue(value)}`);
  const plugin = value as PollerPluginConfig;
  if (typeof plugin.id !== 'string' || !PLUGIN_ID.test(plugin.id)) fail(`${where}.id must match ^[a-z][a-z0-9_-]{0,62}$ (the manifest's plugin id), got ${describeValue(plugin.id)}`);
  const at = `plugin ${JSON.stringify(plugin.id)}`;
  if (typeof plugin.folder !== 'string' || !isAbsolute(plugin.folder)) fail(`${at}: folder must be an absolute path, got ${describeValue(plugin.folder)}`);
  if (typeof plugin.entry !== 'string' || plugin.entry === '' || isAbsolute(plugin.entry)) {
    fail(`${at}: entry must be a path relative to the plugin folder, e.g. "./dist/poller.js", got ${describeValue(plugin.entry)}`);
  }
  const entryPath = resolve(plugin.folder, plugin.entry);
  const inside = relative(plugin.folder, entryPath);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) fail(`${at}: entry ${JSON.stringify(plugin.entry)} leaves the plugin folder; point it at a file inside ${plugin.folder}`);
  const poller = plugin.poller;
  if (typeof poller !== 'object' || poller === null) fail(`${at}: poller must be the manifest's [plugin.poller] section { kinds, brokerTopicPrefix, … }, got ${describeValue(poller)}`);
  const { kinds, brokerTopicPrefix, lifecycle = 'long_lived', maxConcurrentTicks = 1, tickTimeoutSecs = 60 } = poller;
  if (!Array.isArray(kinds) || kinds.length === 0) fail(`${at}: poller.kinds must be a non-empty array of kind names, got ${describeValue(kinds)}`);
  kinds.forEach((kind: unknown, index) => {
    if (typeof kind !== 'string' || !KIND.test(kind)) fail(`${at}: poller.kinds[${index}] must match ^[a-z][a-z0-9_]+$, got ${describeValue(kind)}`);
    if (kinds.indexOf(kind) !== index) fail(`${at}: poller.kinds lists ${JSON.stringify(kind)} twice`);
  });
  if (typeof brokerTopicPrefix !== 'string' || brokerTopicPrefix === '' || brokerTopicPrefix.endsWith('.') || /\s/.test(brokerTopicPrefix)) {
    fail(`${at}: poller.brokerTopicPrefix must be a non-empty string without whitespace or a trailing ".", got ${describeValue(brokerTopicPrefix)}`);
  }
  if (!POLLER_LIFECYCLES.includes(lifecycle)) fail(`${at}: poller.lifecycle must be one of ${POLLER_LIFECYCLES.join(', ')}, got ${describeValue(lifecycle)}`);
  if (!Number.isInteger(maxConcurrentTicks) || maxConcurrentTicks < 1 || maxConcurrentTicks > 64) {
    fail(`${at}: poller.maxConcurrentTicks must be an integer from 1 to 64, got ${describeValue(maxConcurrentTicks)}`);
  }
  if (!Number.isInteger(tickTimeoutSecs) || tickTimeoutSecs < 1 || tickTimeoutSecs > 3600) {
    fail(`${at}: poller.tickTimeoutSecs must be an integer from 1 to 3600, got ${describeValue(tickTimeoutSecs)}`);
  }
  const env = plugin.env ?? {};
  if (typeof env !== 'object' || env === null || Array.isArray(env)) fail(`${at}: env must be an object of strings, got ${describeValue(env)}`);
  for (const [name, text] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) fail(`${at}: env name ${JSON.stringify(name.slice(0, 40))} is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)`);
    // The value may be a secret: name the variable, never show the value.
    if (typeof text !== 'string' || text.includes('\0')) fail(`${at}: env.${name} must be a string without NUL characters, got ${typeof text}`);
  }
  const { maxOldSpaceSizeMb } = plugin;
  assertMaxOldSpaceMb(maxOldSpaceSizeMb, entryPath, `PollerRuntime: ${at}: maxOldSpaceSizeMb`);
  return {
    id: plugin.id,
    folder: plugin.folder,
    entryPath,
    kinds: [...kinds],
    tickMethod: `${brokerTopicPrefix}.tick`,
    lifecycle,
    maxConcurrentTicks,
    tickTimeoutMs: tickTimeoutSecs * 1000,
    env: { ...env },
    maxOldSpaceSizeMb,
  };
}
