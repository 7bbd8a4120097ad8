import { isBelfryError } from '@belfry/plugin-api';
import { errorText, redactSecrets } from '@belfry/internal';
import { BelfryHost, type StartHostOptions } from './belfry-host.js';

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
  // Whatever reaches the terminal may quote a connection URL: redact it all.
  const say = (text: string): unknown => proc.stderr.write(redactSecrets(`belfry: ${text}\n`));
  let host: BelfryHost;
  try {
    host = await BelfryHost.start(options);
  } catch (error) {
    say(`cannot start: ${isBelfryError(error) ? errorText(error) : stackOf(error)}`);
    proc.exit(1);
    return undefined;
  }
  let signalled = false;
  const onSignal = (): void => {
    if (signalled) {
      say('second signal, exiting now');
      proc.exit(130);
      return;
    }
    signalled = true;
    say('shutting down (signal again to exit at once)');
    host.stop().then(
      () => proc.exit(0),
      (error: unknown) => {
        say(`shutdown failed: ${errorText(error)}`);
        proc.exit(1);
      },
    );
  };
  proc.on('SIGINT', onSignal);
  proc.on('SIGTERM', onSignal);
  return host;
}

/** An unexpected error's stack, for a bug report; its message alone when the stack cannot be read. */
function stackOf(error: unknown): string {
  try {
    const stack = (error as { stack?: unknown } | null)?.stack;
    if (typeof stack === 'string') return stack;
  } catch {
    // fall through to the message
  }
  return errorText(error);
}
