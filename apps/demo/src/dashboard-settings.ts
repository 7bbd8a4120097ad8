import { z } from 'zod';
import { HostConfigError } from '@belfry/host';

/** The demo's `[dashboard]` table, handed to the host's settings loader as a table the demo owns. */
export const dashboardTable = z.strictObject({
  enabled: z.boolean().optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
});

/** Where and how the demo serves its dashboard. */
export interface DashboardSettings {
  /** Serve the dashboard. Default true. */
  enabled: boolean;
  /** Interface to bind. Default `127.0.0.1`. */
  host: string;
  /** Port; 0 picks a free one. Default 4600; env `BELFRY_PORT` wins over the file. */
  port: number;
  /** Enables run now, pause and resume for requests carrying it as a bearer token; env `BELFRY_DASHBOARD_TOKEN` only (a secret stays out of the file). */
  operatorToken?: string;
}

/**
 * The dashboard settings from the parsed `[dashboard]` table (`config.extra.dashboard`)
 * and `BELFRY_PORT`. Throws a HostConfigError naming the variable for a port that is not one.
 */
export function dashboardSettings(table: unknown, env: Record<string, string | undefined>): DashboardSettings {
  const parsed = dashboardTable.parse(table ?? {});
  const fromEnv = env.BELFRY_PORT === undefined || env.BELFRY_PORT === '' ? undefined : env.BELFRY_PORT;
  if (fromEnv !== undefined && (!/^\d+$/.test(fromEnv) || Number(fromEnv) > 65535)) {
    const shown = /^[\w.-]{1,20}$/.test(fromEnv) ? JSON.stringify(fromEnv) : `a value of ${fromEnv.length} characters`;
    throw new HostConfigError(`BELFRY_PORT (environment): ${shown} is not a port number. Fix: set it to an integer from 0 to 65535`);
  }
  const token = env.BELFRY_DASHBOARD_TOKEN === undefined || env.BELFRY_DASHBOARD_TOKEN === '' ? undefined : env.BELFRY_DASHBOARD_TOKEN;
  if (token !== undefined && (token.length < 16 || /\s/.test(token))) {
    // The token is a secret: say what is wrong with it, never what it is.
    throw new HostConfigError(`BELFRY_DASHBOARD_TOKEN (environment): a token of ${token.length} characters${/\s/.test(token) ? ' with whitespace' : ''} is too weak. Fix: set it to at least 16 characters without whitespace, e.g. the output of \`openssl rand -hex 24\``);
  }
  return {
    enabled: parsed.enabled ?? true,
    host: parsed.host ?? '127.0.0.1',
    port: fromEnv === undefined ? (parsed.port ?? 4600) : Number(fromEnv),
    ...(token === undefined ? {} : { operatorToken: token }),
  };
}
