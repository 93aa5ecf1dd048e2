import pg from 'pg';

/** What the PostgreSQL store and directory share: transactions and start-up migrations. */

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ READ ONLY';

/**
 * Runs `work` in one transaction on a pooled connection; rolls back on any error. READ COMMITTED
 * (the default): each statement sees what others committed before it, and row locks make
 * waiters re-read.
 */
export async function inTransaction<T>(
  pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, isolation: Isolation = 'READ COMMITTED',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Creates the schema (when given) and runs the CREATE … IF NOT EXISTS statements, one process at
 * a time: nodes starting together would otherwise race on them (a unique-index error). Returns
 * the schema the tables live in.
 */
export function migrate(pool: pg.Pool, { lock, schema, statements }: { lock: string; schema?: string | undefined; statements: readonly string[] }): Promise<string> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    for (const statement of statements) await client.query(statement);
    const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
    return rows[0]!.schema;
  });
}

/** `-c search_path=…` for a pool whose every connection should use `schema`. */
export function searchPath(schema: string | undefined): { options?: string } {
  return schema ? { options: `-c search_path=${pg.escapeIdentifier(schema)}` } : {};
}
