import type { Pool } from 'pg';
import { advisoryKey } from './advisory-key.js';
import { isDirectSession } from './direct-session.js';
import { queryWithin } from './query-within.js';
import { runOnPool } from './run-on-pool.js';
import { TimeoutExceededError } from './timeout-exceeded-error.js';

/**
 * Runs idempotent DDL (`CREATE … IF NOT EXISTS`) in one transaction,
 * serialised cluster-wide by a transaction-scoped advisory lock on
 * `lockName`: without it, two nodes creating the same table at once can
 * both pass the IF NOT EXISTS check and one fails with a unique violation
 * on pg_type / pg_class. A transaction-scoped lock holds no session state,
 * so this also works through PgBouncer. Should the race still surface
 * (DDL run by someone not taking the lock), the transaction is retried.
 */
export async function runSetup(pool: Pool, timeoutMs: number, lockName: string, ddl: readonly string[]): Promise<void> {
  const alreadyExists = new Set(['23505', '42P07', '42710']);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await runOnPool(
        pool,
        timeoutMs,
        async (client, remainingMs) => {
          // The statements share one budget: each gets what the previous ones left.
          const deadline = performance.now() + remainingMs;
          const left = (): number => Math.max(1, Math.round(deadline - performance.now()));
          // Learnt here once, so the first lock call on this connection needs no extra round trip for it.
          await isDirectSession(client, left());
          await queryWithin(client, { text: 'BEGIN' }, left());
          try {
            await queryWithin(client, { text: 'SELECT pg_advisory_xact_lock($1::bigint)', values: [advisoryKey(lockName)] }, left());
            for (const statement of ddl) await queryWithin(client, { text: statement }, left());
            await queryWithin(client, { text: 'COMMIT' }, left());
          } catch (error) {
            // A statement that overran is still running: a ROLLBACK would queue behind it without end.
            // runOnPool cancels it and destroys the connection, which rolls the transaction back.
            if (error instanceof TimeoutExceededError) throw error;
            const rollback = await queryWithin(client, { text: 'ROLLBACK' }, left()).then(
              () => undefined,
              (rollbackError: unknown) => rollbackError,
            );
            throw rollback instanceof TimeoutExceededError ? rollback : error;
          }
        },
        true,
      );
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || typeof code !== 'string' || !alreadyExists.has(code)) throw error;
    }
  }
}
