import { accessSync, constants, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { parse } from 'smol-toml';
import type { PollerManifest } from './poller-manifest.js';

const PLUGIN_ID = /^[a-z][a-z0-9_-]{0,62}$/;
const KIND = /^[a-z][a-z0-9_]+$/;

/**
 * Reads the `[plugin]` id and entry and the `[plugin.poller]` section of
 * `<folder>/plugin.toml`. It checks only what the suite needs to start the
 * poller; `belfry-manifest validate` checks the whole manifest.
 */
export function readPollerManifest(folder: string): PollerManifest {
  if (typeof folder !== 'string' || folder === '') throw new InvalidArgumentError(`poller conformance: folder must be the plugin folder's path, got ${describeValue(folder)}`);
  const absolute = resolve(folder);
  const file = join(absolute, 'plugin.toml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`${file} cannot be read; point the poller suite at a plugin folder that has a plugin.toml`);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError(`${file} is not valid TOML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}; run belfry-manifest validate on it`);
  }
  const fail = (key: string, rule: string, value: unknown): never => {
    throw new InvalidArgumentError(`${file}: ${key} ${rule}, got ${describeValue(value)}`);
  };
  const plugin = table(parsed.plugin) ?? fail('[plugin]', 'must be a table', parsed.plugin);
  const id = plugin.id;
  if (typeof id !== 'string' || !PLUGIN_ID.test(id)) fail('plugin.id', `must match ${PLUGIN_ID.source}`, id);
  const entry = plugin.entry;
  if (typeof entry !== 'string' || entry === '' || isAbsolute(entry)) fail('plugin.entry', 'must be a path relative to the plugin folder', entry);
  const entryPath = resolve(absolute, entry as string);
  const inside = relative(absolute, entryPath);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) fail('plugin.entry', 'must stay inside the plugin folder', entry);
  const poller = table(plugin.poller) ?? fail('[plugin.poller]', 'must be present: this plugin declares no poller', plugin.poller);
  const { kinds, broker_topic_prefix: prefix, lifecycle = 'long_lived', max_concurrent_ticks: slots = 1, tick_timeout_secs: timeout = 60 } = poller;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((kind) => typeof kind !== 'string' || !KIND.test(kind)) || new Set(kinds).size !== kinds.length) {
    fail('plugin.poller.kinds', `must be a non-empty list of unique kinds, each matching ${KIND.source}`, kinds);
  }
  if (typeof prefix !== 'string' || prefix === '' || prefix.endsWith('.') || /\s/.test(prefix)) {
    fail('plugin.poller.broker_topic_prefix', 'must be a non-empty string without whitespace or a trailing "."', prefix);
  }
  if (lifecycle !== 'long_lived' && lifecycle !== 'ephemeral') fail('plugin.poller.lifecycle', 'must be "long_lived" or "ephemeral"', lifecycle);
  if (!Number.isInteger(slots) || (slots as number) < 1 || (slots as number) > 64) fail('plugin.poller.max_concurrent_ticks', 'must be an integer from 1 to 64', slots);
  if (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > 3600) fail('plugin.poller.tick_timeout_secs', 'must be an integer from 1 to 3600', timeout);
  try {
    accessSync(entryPath, /\.(?:js|mjs|cjs)$/i.test(entryPath) ? constants.R_OK : constants.X_OK);
  } catch {
    throw new InvalidArgumentError(`${file}: plugin.entry ${JSON.stringify(entry)} is not a readable file, or not executable; build the plugin, or chmod +x it (with a #! line for a script)`);
  }
  return {
    id: id as string,
    folder: absolute,
    entryPath,
    kinds: kinds as string[],
    tickMethod: `${prefix as string}.tick`,
    lifecycle: lifecycle as PollerManifest['lifecycle'],
    maxConcurrentTicks: slots as number,
    tickTimeoutMs: (timeout as number) * 1000,
  };
}

function table(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
