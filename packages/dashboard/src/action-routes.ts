import type { Context, Hono } from 'hono';
import type { ClusterControl, DashboardScheduler, PauseTarget } from './dashboard-types.js';
import { redactSecrets } from '@belfry/internal';
import { bearerMatches } from './operator-token.js';

const ID = /^[^\u0000-\u001f]{1,256}$/;

/** `{ plugin?, scheduleId? }` from a request body, or the reason it is not one. */
async function targetOf(c: Context, needsSchedule: boolean): Promise<PauseTarget | string> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return 'the body must be JSON: { "plugin": "…", "scheduleId": "…" }';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object { plugin, scheduleId }';
  const { plugin, scheduleId } = body as Record<string, unknown>;
  for (const [key, value] of Object.entries({ plugin, scheduleId })) {
    if (value !== undefined && (typeof value !== 'string' || !ID.test(value))) return `${key} must be a string of 1 to 256 characters`;
  }
  if (needsSchedule && (plugin === undefined || scheduleId === undefined)) return 'plugin and scheduleId are both required';
  if (scheduleId !== undefined && plugin === undefined) return 'scheduleId needs plugin';
  return { ...(plugin === undefined ? {} : { plugin: plugin as string }), ...(scheduleId === undefined ? {} : { scheduleId: scheduleId as string }) };
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
  options: { token: string | undefined; scheduler: DashboardScheduler; control: ClusterControl | undefined; changed: () => void },
): void {
  const { token, scheduler, control, changed } = options;
  app.all('/api/actions/*', async (c, next) => {
    if (token === undefined) return c.json({ error: 'Actions are disabled: the dashboard has no operator token configured.' }, 404);
    if (!bearerMatches(c.req.header('authorization'), token)) {
      return c.json({ error: 'This action needs the operator token: send Authorization: Bearer <token>.' }, 401, { 'www-authenticate': 'Bearer realm="belfry"' });
    }
    await next();
  });
  app.post('/api/actions/run', async (c) => {
    const target = await targetOf(c, true);
    if (typeof target === 'string') return c.json({ error: target }, 400);
    try {
      const outcome = await scheduler.trigger(target.plugin!, target.scheduleId!);
      changed();
      return c.json({ outcome });
    } catch (error) {
      const { status, message } = failure(error);
      return c.json({ error: message }, status);
    }
  });
  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/actions/${action}`, async (c) => {
      const target = await targetOf(c, false);
      if (typeof target === 'string') return c.json({ error: target }, 400);
      try {
        // Cluster-wide through the control store when there is one; else this node's scheduler.
        if (control !== undefined) await control[action](target);
        else scheduler[action](target.plugin, target.scheduleId);
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
