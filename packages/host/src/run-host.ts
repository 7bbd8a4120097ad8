import { BelfryHost, type StartHostOptions } from './belfry-host.js';
import { isBelfryError } from '@belfry/plugin-api';

/** What `runHost` needs from the process; tests pass their own. */
export interface HostProcess {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
  stderr: { write(text: string): unknown };
}

/**
 * Starts a host for a command-line program: on a start-up failure prints the
 * reason (no stack trace for configuration problems) and exits 1; on the
 * first SIGINT or SIGTERM stops gracefully and exits 0; on a second one exits
 * at once with 130.
 */
export async function runHost(options: StartHostOptions = {}, proc: HostProcess = process): Promise<BelfryHost | undefined> {
  let host: BelfryHost;
  try {
    host = await BelfryHost.start(options);
  } catch (error) {
    const message = isBelfryError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    proc.stderr.write(`belfry: cannot start: ${message}\n`);
    proc.exit(1);
    return undefined;
  }
  let signalled = false;
  const onSignal = (): void => {
    if (signalled) {
      proc.stderr.write('belfry: second signal, exiting now\n');
      proc.exit(130);
      return;
    }
    signalled = true;
    proc.stderr.write('belfry: shutting down (signal again to exit at once)\n');
    host.stop().then(
      () => proc.exit(0),
      (error: unknown) => {
        proc.stderr.write(`belfry: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        proc.exit(1);
      },
    );
  };
  proc.on('SIGINT', onSignal);
  proc.on('SIGTERM', onSignal);
  return host;
}
