/**
 * Base class of every error Belfry throws. Test `code` rather than
 * `instanceof`: two copies of this package can coexist in one tree.
 */
export class BelfryError extends Error {
  /** Stable, machine-readable reason, e.g. `'lock_backend'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** True when `error` is a Belfry error, optionally with the given `code`. */
export function isBelfryError(error: unknown, code?: string): error is BelfryError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown };
  if (typeof candidate.code !== 'string') return false;
  return code === undefined ? error instanceof Error : candidate.code === code;
}
