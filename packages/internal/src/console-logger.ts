import { InvalidArgumentError, type Logger } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';
import { redactSecrets } from './redact-secrets.js';

/** Log levels from most to least verbose; `silent` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reads a level from a setting; `where` names the setting in the error. */
export function parseLogLevel(value: unknown, where: string): LogLevel {
  if (typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value.toLowerCase())) {
    return value.toLowerCase() as LogLevel;
  }
  throw new InvalidArgumentError(`${where} must be one of ${LOG_LEVELS.join(', ')} (got ${typeof value === 'string' ? JSON.stringify(redactSecrets(value).slice(0, 40)) : describeValue(value)})`);
}

/**
 * The level a default logger uses: `level` when given, else the
 * `BELFRY_LOG_LEVEL` environment variable, else `info`.
 */
export function resolveLogLevel(level?: LogLevel, env: NodeJS.ProcessEnv = process.env): LogLevel {
  if (level !== undefined) return parseLogLevel(level, 'logLevel');
  const fromEnv = env['BELFRY_LOG_LEVEL'];
  return fromEnv === undefined || fromEnv === '' ? 'info' : parseLogLevel(fromEnv, 'BELFRY_LOG_LEVEL');
}

/**
 * A logger that writes to the console at `level` and above, so debug lines
 * (a lost lock race on every node, every few seconds) print only when asked.
 */
export function consoleLogger(level: LogLevel = resolveLogLevel()): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const writer = (wanted: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(wanted) < threshold) return;
    if (fields === undefined) console[wanted](message);
    else console[wanted](message, fields);
  };
  return { debug: writer('debug'), info: writer('info'), warn: writer('warn'), error: writer('error') };
}
