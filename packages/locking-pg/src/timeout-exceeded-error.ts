/** A call ran past its `timeoutMs`; turned into a `LockBackendError` before it leaves the package. */
export class TimeoutExceededError extends Error {
  constructor(readonly what: string, readonly timeoutMs: number) {
    super(`${what} took longer than ${timeoutMs} ms`);
    this.name = 'TimeoutExceededError';
  }
}
