import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL every test talks to; override with DATABASE_URL. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A lowercase identifier no other test (or test run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** Runs `work` on a fresh, separate admin connection and closes it. */
export async function withAdmin<R>(work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops a lease table and its default-named fence sequence. */
export async function dropLockTable(table: string, schema = 'public'): Promise<void> {
  await withAdmin(async (client) => {
    await client.query(`DROP TABLE IF EXISTS "${schema}"."${table}"`);
    await client.query(`DROP SEQUENCE IF EXISTS "${schema}"."${table}_fence_seq"`);
  });
}

/** pg_locks shows a bigint advisory key as two oids: the high 32 bits in classid, the low ones in objid. */
export function splitAdvisoryKey(lockKey: string): { high: string; low: string } {
  const unsigned = BigInt.asUintN(64, BigInt(lockKey));
  return { high: String(unsigned >> 32n), low: String(unsigned & 0xffffffffn) };
}
