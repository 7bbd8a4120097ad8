import { z } from 'zod';
import { LOCKING_HINTS, MISSED_RUN_POLICIES } from '@belfry/plugin-api';
import { parseOneShot, parseSchedule } from '@belfry/scheduler-core';
import { errorText, jsonProblem } from '@belfry/internal';

/** A job id: it names the job's cursor, its schedule and its lock. */
const POLLER_JOB_ID = /^[a-z0-9][a-z0-9_.-]{0,127}$/;
/** A kind as `[plugin.poller] kinds` spells it (the manifest validator's rule). */
const POLLER_KIND = /^[a-z][a-z0-9_]+$/;

/**
 * One `[[pollers]]` table: a job of a poller kind with its own schedule and
 * config. Which plugin serves the kind is checked at start, once plugins are
 * loaded; everything else is checked here so the file's problems are listed
 * together.
 */
const pollerJobSchema = z
  .strictObject({
    id: z.string().regex(POLLER_JOB_ID, { error: `must match ${POLLER_JOB_ID.source}` }),
    kind: z.string().regex(POLLER_KIND, { error: `must be a poller kind (${POLLER_KIND.source}) that a loaded plugin's [plugin.poller] kinds lists` }),
    cron: z.string({ error: 'must be a schedule expression such as "5m" or "*/10 * * * *"' }).optional(),
    at: z.string({ error: 'must be a quoted ISO 8601 instant such as "2026-12-01T09:00:00Z"' }).optional(),
    timezone: z.string().optional(),
    locking: z.enum(LOCKING_HINTS).optional(),
    missed_run_policy: z.enum(MISSED_RUN_POLICIES).optional(),
    config: z
      .unknown()
      .superRefine((config, ctx) => {
        // TOML has dates; JSON does not, and the config travels to the poller as JSON.
        const problem = jsonProblem(config, 'config');
        if (problem !== null) ctx.addIssue({ code: 'custom', message: `must be plain JSON (tables, lists, strings, numbers, booleans; write dates as strings): ${problem}` });
      })
      .optional(),
    // Node's --max-old-space-size for the plugin's process; below 16 MiB Node cannot start.
    max_old_space_mb: z.int().min(16).max(1_048_576).optional(),
  })
  .superRefine((job, ctx) => {
    if ((job.cron === undefined) === (job.at === undefined)) {
      const gives = job.cron === undefined ? 'neither' : 'both';
      ctx.addIssue({ code: 'custom', path: [], message: `give exactly one of cron (a repeating expression such as "5m") or at (a one-shot instant such as "2026-12-01T09:00:00Z"); it gives ${gives}` });
      return;
    }
    try {
      if (job.cron !== undefined) parseSchedule(job.cron, job.timezone === undefined ? {} : { timezone: job.timezone });
      else parseOneShot(job.at!);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: [job.cron === undefined ? 'at' : 'cron'], message: errorText(error) });
    }
  });

/** `[[pollers]]`: the job ids must be unique, since each names one cursor. */
export const pollersSchema = z.array(pollerJobSchema).superRefine((jobs, ctx) => {
  const first = new Map<string, number>();
  jobs.forEach((job, index) => {
    const earlier = first.get(job.id);
    if (earlier === undefined) first.set(job.id, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `job id ${JSON.stringify(job.id)} is already used by pollers[${earlier}]; each job needs its own id` });
  });
});
