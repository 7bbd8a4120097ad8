import pg from 'pg';

/** One statement a connection sent: its text, and whether it went as a named (prepared) statement. */
export interface Sent {
  text: string;
  named: boolean;
}

/**
 * A pool whose connections record every statement they are asked to run:
 * with node-postgres one `query` call is one round trip.
 */
export function countingPool(connectionString: string, max: number): { pool: pg.Pool; sent: Sent[] } {
  const sent: Sent[] = [];
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
      const text = typeof config === 'string' ? config : (config as { text: string }).text;
      const named = typeof config === 'object' && config !== null && typeof (config as { name?: unknown }).name === 'string';
      sent.push({ text, named });
      return query(config, ...rest);
    };
  });
  return { pool, sent };
}
