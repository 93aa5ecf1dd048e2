import { describe, expect, it } from 'vitest';
import { connectClient, waitConverged, waitSynced } from '../helpers/clients.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

describe('the relay on PostgreSQL (DATABASE_URL)', () => {
  it('[R28] members co-edit through a relay storing in PostgreSQL, and a restarted relay serves everything', async () => {
    const databaseSchema = freshSchema();
    const first = await startTestRelay({ cluster: { databaseUrl: TEST_DATABASE_URL, databaseSchema } });
    const a = connectClient(first.wsUrl, 'home.shared.pg');
    const b = connectClient(first.wsUrl, 'home.shared.pg');
    await waitSynced(a, b);
    a.doc.getText('t').insert(0, 'stored in PostgreSQL');
    b.doc.getArray<number>('n').push([1, 2, 3]);
    await waitConverged([a.doc, b.doc]);
    await waitFor(async () => (await first.store.headSeq('home.shared.pg')) === 2);
    a.destroy();
    b.destroy();
    await first.stop(); // compacts on the way out

    const second = await startTestRelay({ cluster: { databaseUrl: TEST_DATABASE_URL, databaseSchema } });
    const late = connectClient(second.wsUrl, 'home.shared.pg');
    await waitSynced(late);
    expect(late.doc.getText('t').toString()).toBe('stored in PostgreSQL');
    expect(late.doc.getArray('n').toArray()).toEqual([1, 2, 3]);
    expect(await second.store.headSeq('home.shared.pg')).toBe(2);
  });
});
