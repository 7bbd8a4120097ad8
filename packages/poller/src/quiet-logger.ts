import type { Logger } from '@belfry/plugin-api';

/**
 * Wraps a logger so that a throwing one cannot break the runtime: log calls
 * happen inside stream handlers, where a throw would crash the host.
 */
export function quietLogger(logger: Logger): Logger {
  const wrap =
    (write: ((message: string, fields?: Record<string, unknown>) => void) | undefined) =>
    (message: string, fields?: Record<string, unknown>): void => {
      try {
        write?.call(logger, message, fields);
      } catch {
        // Nothing sensible to do: the logger is the place errors would go.
      }
    };
  return { debug: wrap(logger.debug), info: wrap(logger.info), warn: wrap(logger.warn), error: wrap(logger.error) };
}
