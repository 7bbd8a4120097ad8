import type { ErrorInfo } from './scheduler-types.js';

/** Turns anything thrown into plain data for events and status. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { name: error.name, message: error.message, code } : { name: error.name, message: error.message };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : `non-error value thrown: ${String(error)}` };
}
