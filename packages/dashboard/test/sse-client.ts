import { request, type ClientRequest, type IncomingMessage } from 'node:http';

/** A live-updates client over a real socket: counts the `status` events it receives and keeps the last one. */
export class SseClient {
  events = 0;
  comments = 0;
  last: { status: Record<string, unknown>; runs: { plugin: string; scheduledAt: number }[] } | null = null;
  readonly response: Promise<IncomingMessage>;
  readonly #request: ClientRequest;
  #buffer = '';

  constructor(port: number, options: { read?: boolean; host?: string } = {}) {
    this.#request = request({ host: '127.0.0.1', port, path: '/api/events', agent: false, headers: { host: options.host ?? `127.0.0.1:${port}` } });
    this.response = new Promise((resolve, reject) => {
      this.#request.once('response', (res) => {
        res.setEncoding('utf8');
        if (options.read === false) res.pause();
        res.on('data', (chunk: string) => this.#take(chunk));
        res.on('error', () => {});
        resolve(res);
      });
      this.#request.once('error', reject);
    });
    this.#request.end();
  }

  #take(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf('\n\n'); end !== -1; end = this.#buffer.indexOf('\n\n')) {
      const message = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      if (message.startsWith(':')) this.comments += 1;
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (/^event: status$/m.test(message) && data !== undefined) {
        this.events += 1;
        this.last = JSON.parse(data) as SseClient['last'];
      }
    }
  }

  close(): void {
    this.#request.destroy();
  }
}

/** Resolves once `done()` holds, checking on every turn of the event loop; throws after `hangGuardMs`. */
export async function until(done: () => boolean, what: string, hangGuardMs: number): Promise<void> {
  const deadline = Date.now() + hangGuardMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${hangGuardMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
