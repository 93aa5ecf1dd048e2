import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSharedAuthSecret } from '../../server/auth/secret.ts';
import type { MembershipChange } from '../../server/directory/directory.ts';
import { membershipChannel, PgDirectory } from '../../server/directory/pgDirectory.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { directoryContract } from './directory.contract.ts';

const TABLES = ['communities', 'members', 'invites', 'client_owners', 'settings'];
/** The brief's bound for a change on one node to reach another. */
const PROPAGATION_MS = 1_000;
const ANY_CHANGE: MembershipChange = { communityId: null, memberId: null };

/** A query on its own connection, closed at once. */
async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

directoryContract('PgDirectory (real PostgreSQL, fresh schema)', async (now) => {
  const schema = freshSchema();
  const open = (): Promise<PgDirectory> => PgDirectory.open(TEST_DATABASE_URL, { schema, now });
  return {
    directory: await open(),
    another: open,
    storedText: async () => {
      const dumps = await Promise.all(TABLES.map((table) =>
        query<{ row: string }>(`SELECT t::text AS row FROM ${pg.escapeIdentifier(schema)}.${table} t`)));
      return dumps.flat().map((r) => r.row).join('\n');
    },
  };
});

/** Two nodes (PgDirectory instances) on one fresh schema, each recording the changes it is told of. */
async function twoNodes() {
  const schema = freshSchema();
  const node = async () => {
    const directory = await PgDirectory.open(TEST_DATABASE_URL, { schema });
    onTestFinished(() => directory.close());
    const changes: MembershipChange[] = [];
    directory.onChange((change) => changes.push(change));
    return { directory, changes };
  };
  const a = await node();
  const b = await node();
  const { community, owner } = await a.directory.createCommunity({ name: 'Circle', domain: 'facilitation', description: '' },
    { displayName: 'Ada', color: '#2f6f4e' });
  const addMember = (displayName: string) => a.directory.addMember(community.id, { displayName, color: '#8a4b9c', role: 'member' });
  return { schema, a, b, community, owner, addMember };
}

/** The backends of an instance's listening connection (it names itself after the instance's origin). */
const listenerPids = async (directory: PgDirectory): Promise<number[]> =>
  (await query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [`guildhall-listen-${directory.origin}`])).map((r) => r.pid);

describe('PgDirectory across nodes', () => {
  it('[D1] a removal or role change on one node reaches the other\'s listeners within a second, and is not echoed back', async () => {
    const { a, b, community, addMember } = await twoNodes();
    const mia = await addMember('Mia');
    const otto = await addMember('Otto');

    await a.directory.removeMember(community.id, mia.id);
    expect(a.changes).toEqual([{ communityId: community.id, memberId: mia.id }]); // at once, locally
    await waitFor(() => b.changes.length > 0, { timeoutMs: PROPAGATION_MS, message: 'the removal on node b' });
    expect(b.changes).toEqual([{ communityId: community.id, memberId: mia.id }]);

    await b.directory.updateMember(community.id, otto.id, { role: 'viewer' });
    await waitFor(() => a.changes.length > 1, { timeoutMs: PROPAGATION_MS, message: 'the role change on node a' });
    // Notifications arrive in commit order, so a's own echo (had it not been skipped) would be here by now.
    expect(a.changes).toEqual([{ communityId: community.id, memberId: mia.id }, { communityId: community.id, memberId: otto.id }]);
    expect(b.changes).toEqual(a.changes);
  });

  it('a refused change notifies no other node', async () => {
    const { a, b, community, owner, addMember } = await twoNodes();
    const otto = await addMember('Otto');
    await expect(a.directory.removeMember(community.id, owner.id)).rejects.toMatchObject({ code: 'conflict' });
    await a.directory.removeMember(community.id, otto.id);
    await waitFor(() => b.changes.length > 0, { timeoutMs: PROPAGATION_MS });
    expect(b.changes).toEqual([{ communityId: community.id, memberId: otto.id }]);
  });

  it('[D1] after its listening connection is killed, a node reconnects, reports "anything may have changed", and hears later changes', async () => {
    const { a, b, community, addMember } = await twoNodes();
    const mia = await addMember('Mia');
    const [before] = await listenerPids(b.directory);
    expect(before).toEqual(expect.any(Number));

    await query('SELECT pg_terminate_backend($1)', [before]);
    await waitFor(() => b.changes.length > 0, { message: 'the reconnect change' });
    expect(b.changes).toEqual([ANY_CHANGE]);
    const after = await listenerPids(b.directory);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);

    await a.directory.removeMember(community.id, mia.id);
    await waitFor(() => b.changes.length > 1, { timeoutMs: PROPAGATION_MS, message: 'a removal after the reconnect' });
    expect(b.changes).toEqual([ANY_CHANGE, { communityId: community.id, memberId: mia.id }]);
    expect(a.changes).toEqual([{ communityId: community.id, memberId: mia.id }]);
  });

  it('close() ends the listening connection and the pool', async () => {
    const schema = freshSchema();
    const directory = await PgDirectory.open(TEST_DATABASE_URL, { schema });
    await directory.listCommunities();
    expect(await listenerPids(directory)).toHaveLength(1);
    await directory.close();
    await waitFor(async () => (await listenerPids(directory)).length === 0, { message: 'the listener backend to go' });
    await expect(directory.listCommunities()).rejects.toThrow();
  });

  it('nodes on another schema hear nothing: the channel is the schema\'s', async () => {
    const { a, b, community, addMember } = await twoNodes();
    const otherSchema = freshSchema();
    const [elsewhere, elsewhereToo] = await Promise.all([1, 2].map(async () => {
      const directory = await PgDirectory.open(TEST_DATABASE_URL, { schema: otherSchema });
      onTestFinished(() => directory.close());
      return directory;
    })) as [PgDirectory, PgDirectory];
    const heard: MembershipChange[] = [];
    elsewhere.onChange((change) => heard.push(change));
    const mia = await addMember('Mia');
    await a.directory.removeMember(community.id, mia.id);
    await waitFor(() => b.changes.length > 0, { timeoutMs: PROPAGATION_MS });

    // A change on the other schema, committed later: once it is heard, the first would have been too.
    const other = await elsewhereToo.createCommunity({ name: 'Other', domain: 'd', description: '' }, { displayName: 'O', color: '#111111' });
    const otto = await elsewhereToo.addMember(other.community.id, { displayName: 'Otto', color: '#111111', role: 'member' });
    await elsewhereToo.removeMember(other.community.id, otto.id);
    await waitFor(() => heard.length > 0, { timeoutMs: PROPAGATION_MS });
    expect(heard).toEqual([{ communityId: other.community.id, memberId: otto.id }]);

    expect(membershipChannel('guildhall_test_abc')).toBe('guildhall_membership_guildhall_test_abc');
    const long = [membershipChannel('x'.repeat(60)), membershipChannel(`${'x'.repeat(59)}y`)];
    for (const channel of long) expect(Buffer.byteLength(channel)).toBeLessThanOrEqual(63);
    expect(long[0]).not.toBe(long[1]);
  });
});

describe('PgDirectory shared auth secret', () => {
  it('every node gets the same secret, made once even when nodes ask at the same time, and kept', async () => {
    const schema = freshSchema();
    const nodes = await Promise.all([1, 2, 3].map(() => PgDirectory.open(TEST_DATABASE_URL, { schema })));
    const secrets = await Promise.all(nodes.flatMap((node) => [node.authSecret(), node.authSecret()]));
    await Promise.all(nodes.map((node) => node.close()));
    const text = new TextDecoder().decode(secrets[0]);
    expect(text).toMatch(/^[0-9a-f]{64}$/); // 32 random bytes, hex, as DATA_DIR/auth-secret holds them
    for (const secret of secrets) expect(new TextDecoder().decode(secret)).toBe(text);

    const reopened = await PgDirectory.open(TEST_DATABASE_URL, { schema });
    onTestFinished(() => reopened.close());
    expect(new TextDecoder().decode(await reopened.authSecret())).toBe(text);
    const elsewhere = await PgDirectory.open(TEST_DATABASE_URL, { schema: freshSchema() });
    onTestFinished(() => elsewhere.close());
    expect(new TextDecoder().decode(await elsewhere.authSecret())).not.toBe(text);
  });

  it('AUTH_SECRET, when set, wins over the shared secret', async () => {
    const directory = await PgDirectory.open(TEST_DATABASE_URL, { schema: freshSchema() });
    onTestFinished(() => directory.close());
    const configured = 'a-cluster-wide-secret-of-at-least-32-bytes';
    expect(new TextDecoder().decode(await loadSharedAuthSecret(directory, configured))).toBe(configured);
    expect(await loadSharedAuthSecret(directory, '')).toEqual(await directory.authSecret());
    expect(await loadSharedAuthSecret(directory, undefined)).toEqual(await directory.authSecret());
    await expect(loadSharedAuthSecret(directory, 'short')).rejects.toThrow('AUTH_SECRET must be at least 32 bytes');
  });
});
