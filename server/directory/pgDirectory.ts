import { createHash } from 'node:crypto';
import pg from 'pg';
import { randomId } from '../../shared/ids.ts';
import type { Role, Stewardship } from '../../shared/roles.ts';
import { generateSecretText, secretBytes } from '../auth/secret.ts';
import { createLogger } from '../log.ts';
import { inTransaction, migrate, searchPath } from '../postgres.ts';
import type { Community, Directory, Invite, Member, MembershipChange, NewMember } from './directory.ts';
import { PgChannelListener } from './pgListener.ts';
import {
  changedMember, hashCode, losesOwner, newCommunity, newInvite, newMember, noSuchActiveInvite, noSuchCommunity, noSuchMember,
  requireOtherOwners, requireRedeemable, toCommunity, toInvite, toMember, type CommunityRow, type InviteRow, type MemberRow,
} from './records.ts';

/**
 * The directory in PostgreSQL (DATABASE_URL): the same contract as SqliteDirectory, shared by
 * every relay node and the operator CLI.
 *
 * Atomicity across nodes, not just within one: redeeming row-locks the invite (`FOR UPDATE`), so
 * concurrent redeemers queue and each re-reads the use count the previous one committed; role
 * changes and removals first lock their community's row, so two of them can never each see the
 * other's owner as the one who remains.
 *
 * Membership changes reach every node: updateMember/removeMember `pg_notify` in their own
 * transaction (delivered only if it commits), and each instance LISTENs on one dedicated
 * connection (pgListener.ts). A change is emitted locally at once; its echo is skipped by origin.
 */

const log = createLogger('directory.pg');

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS communities (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL, description TEXT NOT NULL, created_at BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS members (
     community_id TEXT NOT NULL REFERENCES communities(id), id TEXT NOT NULL,
     display_name TEXT NOT NULL, color TEXT NOT NULL, role TEXT NOT NULL, stewardships TEXT NOT NULL,
     joined_at BIGINT NOT NULL, removed_at BIGINT, PRIMARY KEY (community_id, id))`,
  // Yjs client ids are unsigned 32-bit: BIGINT, since INTEGER stops at 2^31 - 1.
  `CREATE TABLE IF NOT EXISTS client_owners (
     doc TEXT NOT NULL, client_id BIGINT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (doc, client_id))`,
  `CREATE TABLE IF NOT EXISTS invites (
     id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, community_id TEXT NOT NULL REFERENCES communities(id),
     role TEXT NOT NULL, expires_at BIGINT NOT NULL, max_uses INTEGER, uses INTEGER NOT NULL DEFAULT 0,
     created_by TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)`,
  `CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/** Nodes starting together would race on CREATE … IF NOT EXISTS (a unique-index error): one migrates at a time. */
const MIGRATION_LOCK = 'guildhall.directory.migrations';
const AUTH_SECRET_SETTING = 'auth_secret';
/** PostgreSQL's identifier limit (NAMEDATALEN - 1), which channel names share. */
const MAX_CHANNEL_BYTES = 63;
const CHANNEL_PREFIX = 'guildhall_membership_';
/** Visible in pg_stat_activity, so operators (and tests) can tell the connections apart. */
const POOL_APPLICATION_NAME = 'guildhall-directory';
const LISTENER_APPLICATION_NAME = 'guildhall-listen-';
/** The change to emit when this instance may have missed some: every member may be affected. */
const ANY_CHANGE: MembershipChange = { communityId: null, memberId: null };

/** BIGINT (times in ms, client ids) as numbers: all are far below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: (id, format) => (id === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(id, format)),
};

/** One channel per schema: nodes of another deployment in the same database never wake these. */
export function membershipChannel(schema: string): string {
  const plain = `${CHANNEL_PREFIX}${schema}`;
  if (Buffer.byteLength(plain) <= MAX_CHANNEL_BYTES) return plain;
  return `${CHANNEL_PREFIX}${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

interface Notice { origin: string; communityId: string | null; memberId: string | null }

function parseNotice(payload: string): Notice | null {
  try {
    const value = JSON.parse(payload) as Partial<Notice> | null;
    const idOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
    if (typeof value?.origin === 'string' && idOrNull(value.communityId) && idOrNull(value.memberId)) return value as Notice;
  } catch {
    // fall through: unreadable
  }
  return null;
}

export interface PgDirectoryOptions {
  /** Created when missing and used for every table (tests run each in a fresh schema). */
  schema?: string;
  now?: () => number;
}

export class PgDirectory implements Directory {
  /** This instance's id in notifications, so it can skip its own; also in its listener's application_name. */
  readonly origin = randomId(16);
  private readonly listeners = new Set<(change: MembershipChange) => void>();
  private listener: PgChannelListener | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly now: () => number,
  ) {}

  /** Connects, migrates and starts listening for membership changes made elsewhere. */
  static async open(connectionString: string, { schema, now = Date.now }: PgDirectoryOptions = {}): Promise<PgDirectory> {
    const connection: pg.ClientConfig = {
      connectionString, types, ...searchPath(schema),
    };
    const pool = new pg.Pool({ ...connection, max: 8, application_name: POOL_APPLICATION_NAME });
    // An idle pooled connection that dies (database restart) emits here; unhandled, it would crash the process.
    pool.on('error', (error) => log.warn('idle directory connection lost', { error }));
    try {
      const current = await migrate(pool, { lock: MIGRATION_LOCK, schema, statements: MIGRATIONS });
      const directory = new PgDirectory(pool, membershipChannel(current), now);
      directory.listener = await PgChannelListener.start(
        { ...connection, keepAlive: true, application_name: `${LISTENER_APPLICATION_NAME}${directory.origin}` },
        directory.channel,
        { notification: (payload) => directory.received(payload), reconnected: () => directory.emit(ANY_CHANGE) },
      );
      return directory;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Whether a directory exists there, without creating anything (the operator CLI refuses a wrong schema). */
  static async exists(connectionString: string, { schema }: { schema?: string } = {}): Promise<boolean> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const table = schema ? `${pg.escapeIdentifier(schema)}.communities` : 'communities';
      const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [table]);
      return rows[0]?.found != null;
    } finally {
      await client.end();
    }
  }

  async createCommunity(input: Omit<Community, 'id' | 'createdAt'>, owner: NewMember) {
    const community = newCommunity(input, this.now());
    return this.transaction(async (client) => {
      await client.query('INSERT INTO communities (id, name, domain, description, created_at) VALUES ($1, $2, $3, $4, $5)',
        [community.id, community.name, community.domain, community.description, community.createdAt]);
      return { community, owner: await this.insertMember(client, community.id, { ...owner, role: 'owner' }) };
    });
  }

  async getCommunity(id: string): Promise<Community | null> {
    const { rows } = await this.pool.query<CommunityRow>('SELECT * FROM communities WHERE id = $1', [id]);
    return rows[0] ? toCommunity(rows[0]) : null;
  }

  async listCommunities(): Promise<Community[]> {
    return (await this.pool.query<CommunityRow>('SELECT * FROM communities ORDER BY created_at')).rows.map(toCommunity);
  }

  async getMember(communityId: string, memberId: string): Promise<Member | null> {
    const { rows } = await this.pool.query<MemberRow>('SELECT * FROM members WHERE community_id = $1 AND id = $2', [communityId, memberId]);
    return rows[0] ? toMember(rows[0]) : null;
  }

  async listMembers(communityId: string, { includeRemoved = false } = {}): Promise<Member[]> {
    const { rows } = await this.pool.query<MemberRow>(
      `SELECT * FROM members WHERE community_id = $1 ${includeRemoved ? '' : 'AND removed_at IS NULL'} ORDER BY joined_at, id`,
      [communityId]);
    return rows.map(toMember);
  }

  async addMember(communityId: string, member: NewMember & { role: Role }): Promise<Member> {
    return this.transaction(async (client) => {
      await this.requireCommunity(client, communityId);
      return this.insertMember(client, communityId, member);
    });
  }

  async updateMember(communityId: string, memberId: string, change: { role?: Role; stewardships?: Stewardship[] }) {
    const updated = await this.transaction(async (client) => {
      const current = await this.lockForChange(client, communityId, memberId);
      const next = changedMember(current, change);
      if (losesOwner(current, next)) requireOtherOwners(await this.otherOwners(client, communityId, memberId));
      await client.query('UPDATE members SET role = $1, stewardships = $2 WHERE community_id = $3 AND id = $4',
        [next.role, JSON.stringify(next.stewardships), communityId, memberId]);
      await this.notify(client, communityId, memberId);
      return next;
    });
    this.emit({ communityId, memberId });
    return updated;
  }

  async removeMember(communityId: string, memberId: string): Promise<Member> {
    const removed = await this.transaction(async (client) => {
      const current = await this.lockForChange(client, communityId, memberId);
      if (losesOwner(current, null)) requireOtherOwners(await this.otherOwners(client, communityId, memberId));
      const removedAt = this.now();
      await client.query('UPDATE members SET removed_at = $1 WHERE community_id = $2 AND id = $3', [removedAt, communityId, memberId]);
      await this.notify(client, communityId, memberId);
      return { ...current, removedAt };
    });
    this.emit({ communityId, memberId });
    return removed;
  }

  async createInvite(input: Omit<Invite, 'id' | 'uses' | 'createdAt' | 'revokedAt'>) {
    const { invite, code } = newInvite(input, this.now());
    await this.transaction(async (client) => {
      await this.requireCommunity(client, input.communityId);
      await client.query(`INSERT INTO invites (id, code_hash, community_id, role, expires_at, max_uses, uses, created_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)`, [invite.id, hashCode(code), invite.communityId, invite.role,
        invite.expiresAt, invite.maxUses, invite.createdBy, invite.createdAt]);
    });
    return { invite, code };
  }

  async findInvite(code: string): Promise<Invite | null> {
    const { rows } = await this.pool.query<InviteRow>('SELECT * FROM invites WHERE code_hash = $1', [hashCode(code)]);
    return rows[0] ? toInvite(rows[0]) : null;
  }

  async listInvites(communityId: string): Promise<Invite[]> {
    const { rows } = await this.pool.query<InviteRow>('SELECT * FROM invites WHERE community_id = $1 ORDER BY created_at', [communityId]);
    return rows.map(toInvite);
  }

  async revokeInvite(communityId: string, inviteId: string): Promise<void> {
    const result = await this.pool.query(
      'UPDATE invites SET revoked_at = $1 WHERE community_id = $2 AND id = $3 AND revoked_at IS NULL', [this.now(), communityId, inviteId]);
    if (result.rowCount === 0) throw noSuchActiveInvite();
  }

  async redeemInvite(code: string, member: NewMember) {
    return this.transaction(async (client) => {
      // FOR UPDATE: a concurrent redeemer (on any node) waits here for this transaction, then
      // reads the use count it committed — so uses can never pass maxUses.
      const { rows } = await client.query<InviteRow>('SELECT * FROM invites WHERE code_hash = $1 FOR UPDATE', [hashCode(code)]);
      const invite = requireRedeemable(rows[0] ? toInvite(rows[0]) : null, this.now());
      await client.query('UPDATE invites SET uses = uses + 1 WHERE id = $1', [invite.id]);
      return {
        community: await this.requireCommunity(client, invite.communityId),
        member: await this.insertMember(client, invite.communityId, { ...member, role: invite.role }),
      };
    });
  }

  async clientOwners(doc: string): Promise<Map<number, string>> {
    const { rows } = await this.pool.query<{ client_id: number; member_id: string }>(
      'SELECT client_id, member_id FROM client_owners WHERE doc = $1', [doc]);
    return new Map(rows.map((r) => [r.client_id, r.member_id]));
  }

  async bindClients(doc: string, clientIds: readonly number[], memberId: string): Promise<void> {
    if (clientIds.length === 0) return;
    // DO NOTHING: the first binding wins, whichever node made it. In ascending order: an insert
    // waits on a racer's uncommitted row for the same key, so two nodes inserting overlapping
    // ids in different orders would deadlock.
    await this.pool.query(`INSERT INTO client_owners (doc, client_id, member_id)
      SELECT $1, id, $3 FROM unnest($2::bigint[]) AS id ORDER BY id ON CONFLICT (doc, client_id) DO NOTHING`,
    [doc, clientIds, memberId]);
  }

  onChange(listener: (change: MembershipChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The token-signing secret shared by every node of the cluster, generated by whichever asks
   * first: the insert of a losing racer does nothing, and both then read the winner's.
   */
  async authSecret(): Promise<Uint8Array> {
    await this.pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [AUTH_SECRET_SETTING, generateSecretText()]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [AUTH_SECRET_SETTING]);
    return secretBytes(rows[0]!.value);
  }

  async close(): Promise<void> {
    await this.listener?.close();
    await this.pool.end();
  }

  private received(payload: string): void {
    const notice = parseNotice(payload);
    if (!notice) {
      log.warn('unreadable membership notification; treating it as any change');
      this.emit(ANY_CHANGE);
    } else if (notice.origin !== this.origin) {
      this.emit({ communityId: notice.communityId, memberId: notice.memberId });
    }
  }

  /** A throwing listener must not stop the others, nor (on the notification path) reach pg's socket handler. */
  private emit(change: MembershipChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        log.error('membership change listener failed', { error });
      }
    }
  }

  private async notify(client: pg.PoolClient, communityId: string, memberId: string): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify({ origin: this.origin, communityId, memberId })]);
  }

  /**
   * Locks the community's row (NO KEY UPDATE: members may still join meanwhile), so role changes
   * and removals in one community run one at a time and the owner count each reads is current.
   */
  private async lockForChange(client: pg.PoolClient, communityId: string, memberId: string): Promise<Member> {
    await client.query('SELECT 1 FROM communities WHERE id = $1 FOR NO KEY UPDATE', [communityId]);
    const { rows } = await client.query<MemberRow>(
      'SELECT * FROM members WHERE community_id = $1 AND id = $2 AND removed_at IS NULL', [communityId, memberId]);
    if (!rows[0]) throw noSuchMember();
    return toMember(rows[0]);
  }

  private async otherOwners(client: pg.PoolClient, communityId: string, memberId: string): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*) AS n FROM members WHERE community_id = $1 AND id != $2 AND role = 'owner' AND removed_at IS NULL",
      [communityId, memberId]);
    return rows[0]!.n;
  }

  private async insertMember(client: pg.PoolClient, communityId: string, member: NewMember & { role: Role }): Promise<Member> {
    const row = newMember(communityId, member, this.now());
    await client.query(`INSERT INTO members (community_id, id, display_name, color, role, stewardships, joined_at)
      VALUES ($1, $2, $3, $4, $5, '[]', $6)`, [communityId, row.id, row.displayName, row.color, row.role, row.joinedAt]);
    return row;
  }

  private async requireCommunity(client: pg.PoolClient, id: string): Promise<Community> {
    const { rows } = await client.query<CommunityRow>('SELECT * FROM communities WHERE id = $1', [id]);
    if (!rows[0]) throw noSuchCommunity();
    return toCommunity(rows[0]);
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}

