/** The two commands the check needs, on one server. */
export interface PersistenceSource {
  info(section: 'persistence'): Promise<string>;
  config(subcommand: 'GET', parameter: string): Promise<unknown>;
}

/**
 * Reads a server's persistence settings (`INFO persistence` and, where
 * CONFIG is allowed, `CONFIG GET save`; both sent at once, one round trip)
 * and returns a warning when the server would forget its lock keys on a
 * restart — or `undefined` when AOF is on. Without AOF a restart loses
 * every lock (no persistence) or those taken since the last RDB snapshot,
 * so a second node can take an occurrence's lock and run it again.
 */
export async function persistenceWarning(source: PersistenceSource, label: string, inQuorum: boolean): Promise<string | undefined> {
  const [info, save] = await Promise.all([
    source.info('persistence'),
    // Managed services often disable CONFIG; INFO alone still tells whether AOF is on.
    source.config('GET', 'save').then(
      (reply) => (Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined),
      () => undefined,
    ),
  ]);
  if (/^aof_enabled:1\s*$/m.test(info)) return undefined;
  const kept =
    save === ''
      ? 'keeps nothing across a restart (appendonly no, save "")'
      : `has appendonly no${save === undefined ? '' : ` (RDB snapshots: save "${save}")`}, so a restart loses the locks taken since the last snapshot`;
  const alternative = inQuorum ? ', or keep a restarted server out of the quorum for longer than the longest lock TTL' : '';
  return `Redis ${label} ${kept}: a lock it forgets can be taken again, and an occurrence can run twice. Exactly-once across a Redis restart needs appendonly yes${alternative}.`;
}
