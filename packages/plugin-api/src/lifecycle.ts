import type { JsonValue } from './json-value.js';

/** A finished request, as reported to `onRequestComplete`. */
export interface RequestCompleteEvent {
  /** HTTP method, upper case. */
  method: string;
  /** Request path without the query string. */
  path: string;
  /** Response status code. */
  status: number;
  /** Time from request start to response end, in ms. */
  durationMs: number;
  /** Tenant the request belonged to, when the host is multi-tenant. */
  tenantId?: string;
}

/**
 * Hooks into the host's life. Every hook is optional and may be async. The
 * host calls each hook on all plugins in ascending `priority`; a hook that
 * throws is logged and never stops the others.
 */
export interface LifecyclePlugin {
  /** Stable plugin name, used in logs. */
  readonly name: string;
  /** Dispatch order; lower runs first. Default 1000. */
  readonly priority?: number;
  /** After the host has loaded its settings; `config` is this plugin's section. */
  onServerStart?(config: JsonValue): void | Promise<void>;
  /** When the host begins shutting down, before state is snapshotted. */
  onServerStop?(): void | Promise<void>;
  /** After each request the host served. */
  onRequestComplete?(event: RequestCompleteEvent): void | Promise<void>;
  /** After a cache entry was written, with its tags. */
  onCacheWrite?(key: string, tags: string[]): void | Promise<void>;
  /** After entries matching `pattern` were invalidated; `count` is how many. */
  onCacheInvalidate?(pattern: string, count: number): void | Promise<void>;
  /** When the host reloads its configuration. */
  onReload?(): void | Promise<void>;
  /** Once, when the plugin is unloaded. */
  cleanup?(): void | Promise<void>;
}
