import { isNodeEntry } from '../heap-limit.js';
import type { ResolvedPlugin } from '../resolved-plugin.js';

/** The only host variables a poller inherits; everything else it gets, the operator listed. */
const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

/** What to execute for a plugin's poller, in which folder, with which environment. */
export interface PollerCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * A Node entry runs with the host's own Node (so a plugin needs no Node of
 * its own on PATH); any other entry is executed directly and must be
 * executable (a `#!` line for scripts). The environment is built from
 * nothing, so the host's secrets (DATABASE_URL, tokens) never reach it.
 */
export function pollerCommand(plugin: ResolvedPlugin, hostEnv: NodeJS.ProcessEnv = process.env): PollerCommand {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, plugin.env);
  if (!isNodeEntry(plugin.entryPath)) return { command: plugin.entryPath, args: [], cwd: plugin.folder, env };
  const args = plugin.maxOldSpaceSizeMb === undefined ? [] : [`--max-old-space-size=${plugin.maxOldSpaceSizeMb}`];
  return { command: process.execPath, args: [...args, plugin.entryPath], cwd: plugin.folder, env };
}
