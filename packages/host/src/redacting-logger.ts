import type { Logger } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';

/**
 * Wraps a logger so that every line — the message and its fields — is
 * redacted before it is written: plugins, the scheduler and backends log
 * through it, and any of them may quote a connection URL.
 */
export function redactingLogger(logger: Logger, secrets: readonly string[]): Logger {
  const redact = (text: string): string => redactSecrets(text, secrets);
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    const write = logger[level];
    if (write === undefined) return; // a logger without debug() drops debug lines
    const text = redact(typeof message === 'string' ? message : errorText(message));
    if (fields === undefined) write.call(logger, text);
    else write.call(logger, text, redactFields(fields, redact));
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

function redactFields(fields: Record<string, unknown>, redact: (text: string) => string): Record<string, unknown> {
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redact(value);
    if (value instanceof Error) return { name: value.name, message: redact(errorText(value)) };
    if (typeof value !== 'object' || value === null) return value;
    if (depth > 4) return '(nested too deep)';
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, depth + 1)]));
  };
  try {
    return walk(fields, 0) as Record<string, unknown>;
  } catch {
    return { fields: '(unreadable)' };
  }
}
