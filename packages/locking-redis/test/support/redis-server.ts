import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';

/** The Redis every single-instance test talks to. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A redis-server process a test started on a free loopback port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the process abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  server.unref();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port; with `alsoFree`, one whose port + offset is free too (cluster bus). */
export async function freePort(alsoFreeOffset?: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (!(await portIsFree(port))) continue;
    if (alsoFreeOffset !== undefined && !(await portIsFree(port + alsoFreeOffset))) continue;
    return port;
  }
  throw new Error('no free loopback port found');
}

/** Sends PING until the server answers (PONG, or NOAUTH when it wants a password), failing loudly after `timeoutMs`. */
export async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.setTimeout(500, () => socket.destroy());
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts `redis-server` on a free loopback port with no persistence and the
 * DEBUG command enabled. Fails loudly if the binary is missing.
 */
export async function startRedisServer(options: { port?: number; args?: string[] } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--enable-debug-command', 'yes',
    ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const failed = new Promise<never>((_, reject) => {
      started.once('error', (error) => reject(new Error(`cannot start redis-server: ${error.message}`)));
      started.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}: ${stderr}`)));
    });
    failed.catch(() => undefined);
    child = started;
    try {
      await Promise.race([waitForPong(port), failed]);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
  };

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => terminate('SIGKILL'),
    restart: launch,
    stop: () => terminate('SIGKILL'),
  };
}
