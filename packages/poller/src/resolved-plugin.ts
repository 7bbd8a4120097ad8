import type { PollerLifecycle } from './poller-plugin.js';

/** A plugin's poller settings after validation, with defaults applied and paths resolved. */
export interface ResolvedPlugin {
  id: string;
  folder: string;
  /** Absolute path of the entry file. */
  entryPath: string;
  kinds: string[];
  tickMethod: string;
  lifecycle: PollerLifecycle;
  maxConcurrentTicks: number;
  tickTimeoutMs: number;
  env: Record<string, string>;
  maxOldSpaceSizeMb: number | undefined;
}
