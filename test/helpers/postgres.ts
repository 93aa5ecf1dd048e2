import { userInfo } from 'node:os';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { randomId } from '../../shared/ids.ts';

/**
 * The machine's PostgreSQL (TEST_DATABASE_URL, else the local `test` database with trust auth as
 * this OS user, as on every machine of this kind and in CI).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

/** A schema name unique to this test, dropped (with everything in it) when the test finishes. */
export function freshSchema(): string {
  const schema = `guildhall_test_${randomId(10)}`;
  onTestFinished(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await admin.end();
  });
  return schema;
}
