import { z } from 'zod';
import { pollersSchema } from './poller-job-schema.js';

const durationMs = z.number().int().min(0).max(24 * 60 * 60 * 1000);
const json = z.json();

/** `belfry.config.toml`, as written (snake_case); every key optional. */
export const hostConfigSchema = z.strictObject({
  host: z
    .strictObject({
      node_id: z.string().min(1).max(200).optional(),
      plugins_dir: z.string().min(1).optional(),
      state_dir: z.string().min(1).optional(),
      // Where snapshots go: beside the node (file) or in the lock backend's server (shared).
      state_store: z.enum(['auto', 'file', 'shared']).optional(),
      snapshot_interval_ms: durationMs.optional(),
      shutdown_grace_ms: durationMs.optional(),
      hook_timeout_ms: durationMs.min(1).optional(),
      log_level: z.string().optional(),
    })
    .optional(),
  locking: z
    .strictObject({
      // Built in (memory, redis, pg) or provided by a plugin: checked at start, once plugins are loaded.
      backend: z.string().optional(),
      // A list names independent servers for a Redlock quorum.
      redis_url: z.union([z.string(), z.array(z.string()).min(1)], { error: 'must be a redis:// URL or a list of them (independent servers for a quorum)' }).optional(),
      database_url: z.string({ error: 'must be one postgres:// URL (PostgreSQL locks use one server)' }).optional(),
      pg_mode: z.enum(['lease', 'advisory']).optional(),
      key_prefix: z.string().max(200).optional(),
      // Settings of a plugin-provided backend, handed to its createLocking as plain JSON.
      options: z.record(z.string(), json).optional(),
    })
    .optional(),
  scheduler: z
    .strictObject({
      skew_tolerance_ms: durationMs.optional(),
      lock_ttl_ms: durationMs.min(100).optional(),
    })
    .optional(),
  plugins: z.record(z.string(), json).optional(),
  // `[[pollers]]`: jobs of the poller kinds plugins declare.
  pollers: pollersSchema.optional(),
});

/** The settings file after parsing, before defaults. */
export type RawHostConfig = z.infer<typeof hostConfigSchema>;

