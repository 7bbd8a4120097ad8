/** What the splitter hands on: a complete line, or notice that an over-long line was dropped. */
export type SplitEvent = { type: 'line'; line: string } | { type: 'overflow'; bytes: number };

/**
 * Splits a byte stream into newline-terminated lines (a trailing `\r` is
 * dropped) while holding at most `maxLineBytes` of an unfinished line: a
 * longer line is discarded up to its newline and reported once as an
 * overflow, so a child that writes without newlines cannot exhaust memory.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #emit: (event: SplitEvent) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes of the over-long line being skipped, or -1 when not skipping. */
  #skipped = -1;

  constructor(maxLineBytes: number, emit: (event: SplitEvent) => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#emit = emit;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      this.#take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** Hands on a final line that had no newline (the stream ended). */
  end(): void {
    if (this.#pendingBytes > 0 || this.#skipped > 0) this.#finishLine();
  }

  #take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.#skipped >= 0) {
      this.#skipped += part.length;
      return;
    }
    if (this.#pendingBytes + part.length > this.#maxLineBytes) {
      this.#skipped = this.#pendingBytes + part.length;
      this.#pending = [];
      this.#pendingBytes = 0;
      return;
    }
    this.#pending.push(part);
    this.#pendingBytes += part.length;
  }

  #finishLine(): void {
    if (this.#skipped >= 0) {
      const bytes = this.#skipped;
      this.#skipped = -1;
      this.#emit({ type: 'overflow', bytes });
      return;
    }
    let line = Buffer.concat(this.#pending, this.#pendingBytes).toString('utf8');
    this.#pending = [];
    this.#pendingBytes = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.#emit({ type: 'line', line });
  }
}
