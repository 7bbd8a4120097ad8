/**
 * The abort of one run, with its `AbortController` made only when the
 * plugin reads `ctx.signal`. Most runs never look at it, and a controller
 * (an `EventTarget` plus its signal) was the largest cost of starting a run
 * in a burst. A signal read after the abort comes out already aborted, with
 * the same reason.
 */
export class RunAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** Called once on abort, before the signal's listeners: the scheduler's own clean-ups (the run's timeout). */
  #hooks: (() => void)[] | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** The run's `ctx.signal`, made on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts once; later calls change nothing, as with `AbortController`. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const hooks = this.#hooks;
    this.#hooks = undefined;
    if (hooks !== undefined) for (const hook of hooks) hook();
    this.#controller?.abort(reason);
  }

  /** Runs `hook` on abort; returns the function that takes it back. */
  onAbort(hook: () => void): () => void {
    if (this.#aborted) return () => undefined;
    (this.#hooks ??= []).push(hook);
    return () => {
      const index = this.#hooks?.indexOf(hook) ?? -1;
      if (index >= 0) this.#hooks?.splice(index, 1);
    };
  }
}
