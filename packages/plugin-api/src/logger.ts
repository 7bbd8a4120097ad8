/**
 * The logging surface Belfry packages write to. `console` satisfies it;
 * so do pino and winston loggers. Structured fields go in `fields`.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
