/** A PgBouncer child process in transaction pooling mode in front of DATABASE_URL. */
export interface PgBouncer {
  /** URL of database alias `test` (a pool of 4 server connections). */
  url: string;
  /** URL of database alias `single`: the same database through exactly one server connection. */
  singleUrl: string;
  /** Stops the process and removes its temp dir. */
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number>;

/** Starts PgBouncer on a free loopback port and waits until it accepts connections. */
export function startPgBouncer(): Promise<PgBouncer>;
