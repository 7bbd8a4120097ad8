import { assertRunRecords, checkHistoryQuery, checkRetention, describeValue, encodeHistoryCursor, quoteIdentifier, storeBackendError } from '@belfry/internal';
import { InvalidArgumentError } from '@belfry/plugin-api';
import type { RunHistory, RunHistoryOptions, RunHistoryPage, RunHistoryQuery, RunRecord } from '@belfry/plugin-api';
import { historyStatements, type HistoryStatements } from './history-statements.js';
import { openPgConnection } from './open-pg-connection.js';
import type { PgConnection } from './pg-connection.js';
import type { PgStoreOptions } from './pg-store-options.js';

/** Longest table name: `<table>_count` must stay within PostgreSQL's 63 characters. */
const MAX_TABLE_LENGTH = 57;

/** Options of {@link PgRunHistory}: the connection, the table and the retention. */
export interface PgRunHistoryOptions extends PgStoreOptions, RunHistoryOptions {
  /** Table of runs, one row per run; created by `setup()` with `<table>_count` beside it. A plain identifier: letters, digits, `_`, at most 57 characters. Default `'belfry_runs'`. */
  table?: string;
}

/**
 * Keeps the cluster's run history in PostgreSQL, so every node appends to
 * and pages through the same runs. An append is one transaction: an
 * `INSERT … ON CONFLICT (id) DO NOTHING` of the whole batch, then a
 * `DELETE` of the runs beyond `maxRuns` and of expired runs; ages are
 * measured on the server's clock.
 * Run `setup()` once (it is idempotent) before the first call.
 */
export class PgRunHistory implements RunHistory {
  readonly maxRuns: number;
  readonly maxAgeMs: number;
  readonly #connection: PgConnection;
  readonly #statements: HistoryStatements;

  constructor(options: PgRunHistoryOptions) {
    const name = options?.table ?? 'belfry_runs';
    const table = quoteIdentifier(name, 'PgRunHistory option "table"');
    // The count lives in `<table>_count`, which must fit in an identifier too.
    if (name.length > MAX_TABLE_LENGTH) {
      throw new InvalidArgumentError(`PgRunHistory option "table" must be at most ${MAX_TABLE_LENGTH} characters, leaving room for the "${name}_count" table beside it (got ${describeValue(name)})`);
    }
    const { maxRuns, maxAgeMs } = checkRetention({ maxRuns: options?.maxRuns, maxAgeMs: options?.maxAgeMs }, 'PgRunHistory');
    this.#connection = openPgConnection(options, 'PgRunHistory');
    this.maxRuns = maxRuns;
    this.maxAgeMs = maxAgeMs;
    this.#statements = historyStatements(table, quoteIdentifier(`${name}_count`, 'PgRunHistory option "table"'));
  }

  /** Creates the tables and indexes if they are missing, and takes the run count afresh; safe to run from every node at every start. */
  async setup(): Promise<void> {
    await this.#connection.query('PgRunHistory.setup()', { text: this.#statements.setup }, Math.max(this.#connection.timeoutMs, 10_000));
  }

  async append(runs: readonly RunRecord[]): Promise<void> {
    assertRunRecords(runs, 'PgRunHistory.append');
    if (runs.length === 0) return;
    const where = `PgRunHistory.append(${runs.length} runs)`;
    // Insert and prune in one transaction; see historyStatements.
    const [counted] = await this.#connection.script(where, this.#statements.append(firstOfEachId(runs), this.maxRuns, this.maxAgeMs));
    if (counted!.length !== 1) throw storeBackendError(where, `the table's count row is missing; run setup() once to create it`);
  }

  async query(query: RunHistoryQuery): Promise<RunHistoryPage> {
    const checked = checkHistoryQuery(query, 'PgRunHistory.query');
    const where = 'PgRunHistory.query()';
    const rows = await this.#connection.query<{ run: string }>(where, this.#statements.query(checked, this.maxAgeMs));
    const runs = rows.slice(0, checked.limit).map((row) => parseRun(row.run, where));
    return { runs, next: rows.length > checked.limit ? encodeHistoryCursor(runs.at(-1)!) : null };
  }

  /** Ends the pool made from `connectionString`; a given `pool` stays open. Later calls reject with `store_backend`. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}

/** The batch without repeated ids, the first record of each kept (as a retried append keeps the stored one). */
function firstOfEachId(runs: readonly RunRecord[]): RunRecord[] {
  const seen = new Set<string>();
  return runs.filter((run) => !seen.has(run.id) && seen.add(run.id));
}

function parseRun(text: string, where: string): RunRecord {
  try {
    return JSON.parse(text) as RunRecord;
  } catch (error) {
    throw storeBackendError(where, `a stored run is not JSON: ${String(error)}`);
  }
}
