import type { Context, Hono } from 'hono';
import { redactSecrets } from '@belfry/internal';
import type { ClusterControl, ControlTarget, DashboardScheduler } from './dashboard-types.js';
import { bearerMatches } from './operator-token.js';

const ID = /^[^\u0000-\u001f]{1,256}$/;
const MAX_REASON_LENGTH = 1024;

/** What an action request asks for: a schedule or poller job, and for a pause, why. */
interface ActionBody {
  target: ControlTarget;
  reason?: string;
}

/** `{ plugin, scheduleId }` or `{ jobId }` (plus `reason`) from a request body, or what is wrong with it. */
async function bodyOf(c: Context, schedulesOnly: boolean): Promise<ActionBody | string> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return 'the body must be JSON: { "plugin": "…", "scheduleId": "…" }';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object { plugin, scheduleId } or { jobId }';
  const { plugin, scheduleId, jobId, reason } = body as Record<string, unknown>;
  for (const [key, value] of Object.entries({ plugin, scheduleId, jobId })) {
    if (value !== undefined && (typeof value !== 'string' || !ID.test(value))) return `${key} must be a string of 1 to 256 characters`;
  }
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH)) return `reason must be a string of at most ${MAX_REASON_LENGTH} characters`;
  const extra = reason === undefined || reason === '' ? {} : { reason: reason as string };
  if (jobId !== undefined && !schedulesOnly && plugin === undefined && scheduleId === undefined) return { target: { kind: 'poller_job', jobId: jobId as string }, ...extra };
  if (typeof plugin !== 'string' || typeof scheduleId !== 'string' || jobId !== undefined) {
    return schedulesOnly ? 'plugin and scheduleId are both required' : 'give either plugin and scheduleId (a schedule) or jobId (a poller job)';
  }
  return { target: { kind: 'schedule', plugin, scheduleId }, ...extra };
}

function failure(error: unknown): { status: 400 | 409 | 500; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = redactSecrets(typeof message === 'string' ? message : String(error));
  if (code === 'invalid_argument') return { status: 400, message: text };
  if (code === 'scheduler_stopped') return { status: 409, message: text };
  return { status: 500, message: text };
}

/**
 * Run now, pause and resume. Without an operator token they do not exist
 * (404); with one, every request must carry it as a bearer token (401
 * otherwise). A bearer header is never sent by a browser on its own, so
 * another site cannot make a visitor's browser fire these (no CSRF).
 */
export function addActionRoutes(
  app: Hono,
  options: {
    token: string | undefined;
    scheduler: DashboardScheduler;
    control: ClusterControl | undefined;
    pausedBy: () => string;
    /** The scheduler plugin name a poller job's schedule is registered under, when the host reports it. */
    jobSchedulePlugin: (jobId: string) => string | undefined;
    changed: () => void;
  },
): void {
  const { token, scheduler, control, pausedBy, jobSchedulePlugin, changed } = options;
  app.all('/api/actions/*', async (c, next) => {
    if (token === undefined) return c.json({ error: 'Actions are disabled: the dashboard has no operator token configured.' }, 404);
    if (!bearerMatches(c.req.header('authorization'), token)) {
      return c.json({ error: 'This action needs the operator token: send Authorization: Bearer <token>.' }, 401, { 'www-authenticate': 'Bearer realm="belfry"' });
    }
    await next();
  });
  app.post('/api/actions/run', async (c) => {
    const body = await bodyOf(c, true);
    if (typeof body === 'string') return c.json({ error: body }, 400);
    const { plugin, scheduleId } = body.target as { plugin: string; scheduleId: string };
    try {
      const outcome = await scheduler.trigger(plugin, scheduleId);
      changed();
      return c.json({ outcome });
    } catch (error) {
      const { status, message } = failure(error);
      return c.json({ error: message }, status);
    }
  });
  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/actions/${action}`, async (c) => {
      const body = await bodyOf(c, false);
      if (typeof body === 'string') return c.json({ error: body }, 400);
      const { target } = body;
      try {
        if (control !== undefined) {
          // Cluster-wide: every node honours what the control store says.
          if (action === 'pause') await control.pause(target, { by: pausedBy(), ...(body.reason === undefined ? {} : { reason: body.reason }) });
          else await control.resume(target);
        } else if (target.kind === 'schedule') {
          scheduler[action](target.plugin, target.scheduleId);
        } else {
          // A poller job is a schedule of this node's scheduler: pause that one.
          const plugin = jobSchedulePlugin(target.jobId);
          if (plugin === undefined) return c.json({ error: `No poller job "${target.jobId}" on this node (host.status().pollers lists the jobs).` }, 404);
          scheduler[action](plugin, target.jobId);
        }
        changed();
        return c.json({ [action === 'pause' ? 'paused' : 'resumed']: target, scope: control === undefined ? 'node' : 'cluster' });
      } catch (error) {
        const { status, message } = failure(error);
        return c.json({ error: message }, status);
      }
    });
  }
  app.all('/api/actions/*', (c) => c.json({ error: 'Unknown action: POST /api/actions/run, /api/actions/pause or /api/actions/resume.' }, 404));
}
