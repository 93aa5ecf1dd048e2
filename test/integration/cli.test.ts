import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadAuthSecret } from '../../server/auth/secret.ts';
import { TOKEN_TTL_SECONDS, verifyToken } from '../../server/auth/tokens.ts';
import { DirectoryError, type Community, type Invite, type Member } from '../../server/directory/directory.ts';
import { SqliteDirectory } from '../../server/directory/sqliteDirectory.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';

/**
 * `npm run cli` end to end: each call is a real child process on a temp DATA_DIR, and what it
 * wrote is checked through the same files the server opens (directory.sqlite, auth-secret).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Slack for "expires about N from now": the child's clock read vs. ours, plus whole-second JWT times. */
const CLOCK_SLACK_MS = 60_000;

interface Created { community: Community; owner: Member; token: string; tokenExpiresAt: number }
interface Minted { member: Member; token: string; tokenExpiresAt: number }
interface Invited { invite: Invite; code: string; path: string }

/** Runs a command with --json and returns its one JSON document; it must succeed silently on stderr. */
async function cliJson<T>(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const result = await runCli(dataDir, [...args, '--json'], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function expectError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/); // one line, no stack
  expect(result.stderr).toMatch(message);
}

function expectUsage(result: CliResult, stream: 'stdout' | 'stderr'): void {
  expect(result.code).toBe(2);
  expect(result[stream]).toContain('Usage: npm run cli --');
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function createCommunity(dataDir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Created> {
  return cliJson<Created>(dataDir,
    ['community', 'create', '--name', 'Practice Circle', '--domain', 'facilitation', '--owner-name', 'Ada', ...extra], env);
}

function openDirectory(dataDir: string): SqliteDirectory {
  const directory = new SqliteDirectory(join(dataDir, 'directory.sqlite'));
  onTestFinished(() => directory.close());
  return directory;
}

/** A second member, joined the way a person would: a CLI invite redeemed through the directory. */
async function joinMember(dataDir: string, communityId: string, role: string, displayName: string): Promise<Member> {
  const { code } = await cliJson<Invited>(dataDir, ['invite', '--community', communityId, '--role', role]);
  const { member } = await openDirectory(dataDir).redeemInvite(code, { displayName, color: '#2b6cb0' });
  return member;
}

describe('operator CLI', () => {
  it('community create makes a community and its owner, with a token that verifies against the secret file', async () => {
    const dataDir = tempDir();
    const created = await cliJson<Created>(dataDir, ['community', 'create', '--name', '  Practice Circle ', '--domain', 'facilitation',
      '--description', 'Facilitators comparing notes', '--owner-name', 'Ada Lovelace', '--owner-color', '#8a4b9c']);
    expect(created.community).toMatchObject({ name: 'Practice Circle', domain: 'facilitation', description: 'Facilitators comparing notes' });
    expect(created.owner).toMatchObject({
      communityId: created.community.id, displayName: 'Ada Lovelace', color: '#8a4b9c', role: 'owner', removedAt: null,
    });

    const claims = await verifyToken(loadAuthSecret(dataDir, undefined), created.token);
    expect(claims).toEqual({ memberId: created.owner.id, communityId: created.community.id, role: 'owner', expiresAt: created.tokenExpiresAt });
    expect(Math.abs(claims.expiresAt - (Date.now() + TOKEN_TTL_SECONDS * 1000))).toBeLessThan(CLOCK_SLACK_MS);

    const directory = openDirectory(dataDir);
    expect(await directory.getCommunity(created.community.id)).toEqual(created.community);
    expect(await directory.getMember(created.community.id, created.owner.id)).toEqual(created.owner);

    const defaults = await createCommunity(dataDir);
    expect(defaults.community.description).toBe('');
    expect(defaults.owner.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('community list lists every community, oldest first', async () => {
    const dataDir = tempDir();
    const first = await createCommunity(dataDir);
    const second = await createCommunity(dataDir, ['--name', 'Second']);
    const { communities } = await cliJson<{ communities: Community[] }>(dataDir, ['community', 'list']);
    expect(communities).toEqual([first.community, second.community]);
  });

  it('invite prints a join path whose code the directory redeems, within the limits it was given', async () => {
    const dataDir = tempDir();
    const { community } = await createCommunity(dataDir);
    const directory = openDirectory(dataDir);

    const single = await cliJson<Invited>(dataDir, ['invite', '--community', community.id, '--role', 'facilitator']);
    expect(single.path).toBe(`/join/${single.code}`);
    expect(single.invite).toMatchObject({ communityId: community.id, role: 'facilitator', maxUses: 1, uses: 0, revokedAt: null });
    expect(Math.abs(single.invite.expiresAt - (Date.now() + 168 * HOUR_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect((await directory.findInvite(single.code))?.id).toBe(single.invite.id);
    const joined = await directory.redeemInvite(single.code, { displayName: 'Grace', color: '#2b6cb0' });
    expect(joined.member).toMatchObject({ communityId: community.id, role: 'facilitator', displayName: 'Grace' });
    await expect(directory.redeemInvite(single.code, { displayName: 'Again', color: '#2b6cb0' }))
      .rejects.toThrow(new DirectoryError('gone', 'this invite link was already used'));

    const multi = await cliJson<Invited>(dataDir,
      ['invite', '--community', community.id, '--role', 'viewer', '--multi-use', '--expires-hours', '2']);
    expect(multi.invite).toMatchObject({ role: 'viewer', maxUses: null });
    expect(Math.abs(multi.invite.expiresAt - (Date.now() + 2 * HOUR_MS))).toBeLessThan(CLOCK_SLACK_MS);
    for (const name of ['One', 'Two', 'Three']) await directory.redeemInvite(multi.code, { displayName: name, color: '#2b6cb0' });

    const limited = await cliJson<Invited>(dataDir, ['invite', '--community', community.id, '--role', 'member', '--max-uses', '3']);
    expect(limited.invite.maxUses).toBe(3);
    expect((await directory.listInvites(community.id)).map((i) => i.id)).toEqual([single, multi, limited].map((i) => i.invite.id));
  });

  it('token mints for a current member, and refuses removed and unknown members', async () => {
    const dataDir = tempDir();
    const { community } = await createCommunity(dataDir);
    const grace = await joinMember(dataDir, community.id, 'member', 'Grace');

    const minted = await cliJson<Minted>(dataDir, ['token', '--community', community.id, '--member', grace.id, '--ttl-days', '2']);
    expect(minted.member).toEqual(grace);
    const claims = await verifyToken(loadAuthSecret(dataDir, undefined), minted.token);
    expect(claims).toMatchObject({ memberId: grace.id, communityId: community.id, role: 'member', expiresAt: minted.tokenExpiresAt });
    expect(Math.abs(claims.expiresAt - (Date.now() + 2 * DAY_MS))).toBeLessThan(CLOCK_SLACK_MS);

    // With AUTH_SECRET set (a cluster), tokens are signed with it, not with the file.
    const clusterSecret = 'a-cluster-wide-secret-of-at-least-32-bytes';
    const clustered = await cliJson<Minted>(dataDir, ['token', '--community', community.id, '--member', grace.id],
      { AUTH_SECRET: clusterSecret });
    expect((await verifyToken(new TextEncoder().encode(clusterSecret), clustered.token)).memberId).toBe(grace.id);
    await expect(verifyToken(loadAuthSecret(dataDir, undefined), clustered.token)).rejects.toThrow('token invalid');

    await cliJson(dataDir, ['member', 'remove', '--community', community.id, '--member', grace.id]);
    const [removed, unknown, elsewhere] = await Promise.all([
      runCli(dataDir, ['token', '--community', community.id, '--member', grace.id]),
      runCli(dataDir, ['token', '--community', community.id, '--member', 'nobody']),
      runCli(dataDir, ['token', '--community', 'nowhere', '--member', grace.id]),
    ]);
    expectError(removed, /Grace\) was removed on/);
    expectError(unknown, /no member with id 'nobody'/);
    expectError(elsewhere, /no community with id 'nowhere'/);
  });

  it('member list, role and remove go through the directory, so a community keeps an owner', async () => {
    const dataDir = tempDir();
    const { community, owner } = await createCommunity(dataDir);
    const grace = await joinMember(dataDir, community.id, 'member', 'Grace');
    const ids = ['--community', community.id];

    const listed = await cliJson<{ members: Member[] }>(dataDir, ['member', 'list', ...ids]);
    expect(listed.members.map((m) => [m.displayName, m.role])).toEqual([['Ada', 'owner'], ['Grace', 'member']]);

    const [demoteLastOwner, removeLastOwner] = await Promise.all([
      runCli(dataDir, ['member', 'role', ...ids, '--member', owner.id, '--role', 'viewer']),
      runCli(dataDir, ['member', 'remove', ...ids, '--member', owner.id]),
    ]);
    expectError(demoteLastOwner, /at least one owner/);
    expectError(removeLastOwner, /at least one owner/);

    const promoted = await cliJson<{ member: Member }>(dataDir, ['member', 'role', ...ids, '--member', grace.id, '--role', 'owner']);
    expect(promoted.member).toMatchObject({ id: grace.id, role: 'owner' });
    const demoted = await cliJson<{ member: Member }>(dataDir, ['member', 'role', ...ids, '--member', owner.id, '--role', 'viewer']);
    expect(demoted.member).toMatchObject({ id: owner.id, role: 'viewer' });
    const removed = await cliJson<{ member: Member }>(dataDir, ['member', 'remove', ...ids, '--member', owner.id]);
    expect(removed.member.removedAt).toEqual(expect.any(Number));
    expect(await openDirectory(dataDir).getMember(community.id, owner.id)).toEqual(removed.member);

    const current = await cliJson<{ members: Member[] }>(dataDir, ['member', 'list', ...ids]);
    expect(current.members.map((m) => m.id)).toEqual([grace.id]);
    const everyone = await cliJson<{ members: Member[] }>(dataDir, ['member', 'list', ...ids, '--include-removed']);
    expect(everyone.members.map((m) => [m.id, m.removedAt])).toEqual([[owner.id, removed.member.removedAt], [grace.id, null]]);
    const [roleOfRemoved, removeLastOwnerAgain] = await Promise.all([
      runCli(dataDir, ['member', 'role', ...ids, '--member', owner.id, '--role', 'owner']),
      runCli(dataDir, ['member', 'remove', ...ids, '--member', grace.id]),
    ]);
    expectError(roleOfRemoved, /was removed on/);
    expectError(removeLastOwnerAgain, /at least one owner/);
  });

  it('bad input exits 1 with one error line, no stack, and changes nothing', async () => {
    const dataDir = tempDir();
    const { community, owner } = await createCommunity(dataDir);
    const create = ['community', 'create', '--name', 'N', '--domain', 'D', '--owner-name', 'O'];
    const cases: Array<[string[], RegExp]> = [
      [['invite', '--community', community.id, '--role', 'boss'], /^error: --role: .*owner/],
      [['member', 'role', '--community', community.id, '--member', owner.id, '--role', 'chief'], /^error: --role: /],
      [[...create, '--owner-color', 'green'], /^error: --owner-color: colour must look like #/],
      [[...create, '--owner-name', '   '], /^error: --owner-name: display name is required/],
      [['community', 'create', '--name', 'N', '--owner-name', 'O'], /^error: missing --domain/],
      [['community', 'create', '--name', '--domain', 'D', '--owner-name', 'O'], /^error: --name needs a value/],
      [['invite', '--role', 'member'], /^error: missing --community/],
      [['invite', '--community', 'nowhere', '--role', 'member'], /^error: no community with id 'nowhere'/],
      [['member', 'list', '--community', 'nowhere'], /^error: no community with id 'nowhere'/],
      [['invite', '--community', community.id, '--role', 'member', '--expires-hours', 'soon'], /--expires-hours must be a number/],
      [['invite', '--community', community.id, '--role', 'member', '--expires-hours', '100000'], /^error: --expires-hours: /],
      [['invite', '--community', community.id, '--role', 'member', '--max-uses', '2', '--multi-use'], /not both/],
      [['token', '--community', community.id, '--member', owner.id, '--ttl-days', '0'], /^error: --ttl-days: /],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(dataDir, [...args, '--json'])));
    results.forEach((result, i) => expectError(result, cases[i]![1]));

    const directory = openDirectory(dataDir);
    expect(await directory.listCommunities()).toEqual([community]);
    expect(await directory.listInvites(community.id)).toEqual([]);
    expect((await directory.getMember(community.id, owner.id))?.role).toBe('owner');

    // A DATA_DIR without a directory is almost surely a typo: refused, and left uncreated.
    const missing = join(dataDir, 'not-here');
    expectError(await runCli(missing, ['community', 'list']), /no Guildhall directory at .*not-here/);
    expect(existsSync(missing)).toBe(false);
    expectError(await runCli(dataDir, ['token', '--community', community.id, '--member', owner.id], { AUTH_SECRET: 'short' }),
      /^error: AUTH_SECRET must be at least 32 bytes/);
  });

  it('--help, unknown commands and unknown options print usage and exit 2', async () => {
    const dataDir = tempDir();
    const [help, bare, commandHelp, groupHelp, unknownCommand, unknownSub, unknownOption, stray] = await Promise.all([
      runCli(dataDir, ['--help']),
      runCli(dataDir, []),
      runCli(dataDir, ['invite', '--help']),
      runCli(dataDir, ['member', '--help']),
      runCli(dataDir, ['frobnicate']),
      runCli(dataDir, ['member', 'promote']),
      runCli(dataDir, ['community', 'create', '--name', 'N', '--bogus']),
      runCli(dataDir, ['community', 'list', 'extra']),
    ]);
    expectUsage(help, 'stdout');
    for (const name of ['community create', 'community list', 'invite', 'token', 'member list', 'member role', 'member remove']) {
      expect(help.stdout).toContain(`  ${name}`);
    }
    expectUsage(bare, 'stdout');
    expectUsage(groupHelp, 'stdout');
    expectUsage(commandHelp, 'stdout');
    expect(commandHelp.stdout).toMatch(/--expires-hours H +hours until it expires \(default 168\)/);
    expectUsage(unknownCommand, 'stderr');
    expect(unknownCommand.stderr).toMatch(/^error: unknown command 'frobnicate'\n/);
    expectUsage(unknownSub, 'stderr');
    expect(unknownSub.stderr).toMatch(/^error: unknown command 'member promote'/);
    expectUsage(unknownOption, 'stderr');
    expect(unknownOption.stderr).toMatch(/^error: unknown option '--bogus'\n\nUsage: npm run cli -- community create /);
    expectUsage(stray, 'stderr');
    expect(stray.stderr).toMatch(/^error: unexpected argument 'extra'/);
    expect(existsSync(join(dataDir, 'directory.sqlite'))).toBe(false);
  });

  it('without --json, output is aligned text, with control characters in names shown escaped', async () => {
    const dataDir = tempDir();
    const text = await runCli(dataDir, ['community', 'create', '--name', 'Circle', '--domain', 'facilitation', '--owner-name', 'Ada\u001b[2J']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^community {2}[0-9a-z]{10}\nname {7}Circle\n/);
    expect(text.stdout).toMatch(/\ntoken {6}[\w-]+\.[\w-]+\.[\w-]+\n/);
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).toContain('Ada\\u001b[2J');

    const [{ id }] = (await cliJson<{ communities: Community[] }>(dataDir, ['community', 'list'])).communities as [Community];
    await joinMember(dataDir, id, 'facilitator', 'Grace Hopper');
    const table = await runCli(dataDir, ['member', 'list', '--community', id]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID +NAME +ROLE +STEWARDSHIPS +COLOUR +JOINED$/);
    const roleColumn = lines[0]!.indexOf('ROLE');
    expect(lines.slice(1).map((line) => line.slice(roleColumn).split(' ')[0])).toEqual(['owner', 'facilitator']);
  });

  it('works beside a running server: a token minted by the CLI is accepted by the API', async () => {
    const dataDir = tempDir();
    const relay = await startTestRelay({ dataDir });
    // The server and the CLI must sign with the same secret: the file, or AUTH_SECRET if this run sets one.
    const created = await createCommunity(dataDir, [], { AUTH_SECRET: process.env.AUTH_SECRET ?? '' });
    expect(await relay.directory.getCommunity(created.community.id)).toEqual(created.community);

    const response = await fetch(`${relay.url}/api/communities/${created.community.id}`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ community: { id: created.community.id }, member: { id: created.owner.id, role: 'owner' } });
  });

  it('[C1] a member removed with the CLI is cut off on a running server\'s live sockets', async () => {
    const dataDir = tempDir();
    const relay = await startTestRelay({ dataDir });
    const env = { AUTH_SECRET: process.env.AUTH_SECRET ?? '' };
    const created = await createCommunity(dataDir, [], env);
    const mia = await joinMember(dataDir, created.community.id, 'member', 'Mia');
    const { token } = await cliJson<{ token: string }>(dataDir, ['token', '--community', created.community.id, '--member', mia.id], env);
    const client = connectClient(relay.wsUrl, `${created.community.id}.shared.notes`, { params: { token } });
    await waitSynced(client);
    const closed = new Promise<number>((resolve) => client.provider.on('connection-close', (event) => resolve(event?.code ?? 0)));
    const removedAt = Date.now();
    await cliJson(dataDir, ['member', 'remove', '--community', created.community.id, '--member', mia.id]);
    expect(await closed).toBe(4403);
    process.stdout.write(`CLI removal reached the live socket ${Date.now() - removedAt} ms after the command started\n`);
  });

  it('[C1] with DATABASE_URL it works on the PostgreSQL directory and secret a running relay shares', async () => {
    const databaseSchema = freshSchema();
    const relay = await startTestRelay({ cluster: { databaseUrl: TEST_DATABASE_URL, databaseSchema } });
    const dataDir = tempDir();
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: databaseSchema, AUTH_SECRET: process.env.AUTH_SECRET ?? '' };
    const created = await createCommunity(dataDir, [], env);
    expect(await relay.directory.getCommunity(created.community.id)).toEqual(created.community);
    // Signed with the secret kept in PostgreSQL (unless this run sets AUTH_SECRET): the relay accepts it.
    const response = await fetch(`${relay.url}/api/communities/${created.community.id}`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(response.status).toBe(200);

    // A member the relay added, the CLI lists, mints for and removes; the removal reaches the live socket.
    const mia = await relay.directory.addMember(created.community.id, { displayName: 'Mia', color: '#2b6cb0', role: 'member' });
    const ids = ['--community', created.community.id];
    const listed = await cliJson<{ members: Member[] }>(dataDir, ['member', 'list', ...ids], env);
    expect(listed.members.map((m) => m.id)).toEqual([created.owner.id, mia.id]);
    const { token } = await cliJson<{ token: string }>(dataDir, ['token', ...ids, '--member', mia.id], env);
    const client = connectClient(relay.wsUrl, `${created.community.id}.shared.notes`, { params: { token } });
    await waitSynced(client);
    const closed = new Promise<number>((resolve) => client.provider.on('connection-close', (event) => resolve(event?.code ?? 0)));
    await cliJson(dataDir, ['member', 'remove', ...ids, '--member', mia.id], env);
    expect(await closed).toBe(4403);
    expect(existsSync(join(dataDir, 'directory.sqlite'))).toBe(false);
    expect(existsSync(join(dataDir, 'auth-secret'))).toBe(false);

    // A mistyped schema is refused, and not created.
    const typo = `${databaseSchema}_typo`;
    expectError(await runCli(dataDir, ['community', 'list'], { ...env, DATABASE_SCHEMA: typo }),
      new RegExp(`^error: no Guildhall directory in PostgreSQL schema ${typo}: `));
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [typo]);
    await admin.end();
    expect(rowCount).toBe(0);
  });
});
