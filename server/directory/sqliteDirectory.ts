import Database from 'better-sqlite3';
import type { Role, Stewardship } from '../../shared/roles.ts';
import type { Community, Directory, Invite, Member, MembershipChange, NewMember } from './directory.ts';
import {
  changedMember, hashCode, losesOwner, newCommunity, newInvite, newMember, noSuchActiveInvite, noSuchCommunity, noSuchMember,
  requireOtherOwners, requireRedeemable, toCommunity, toInvite, toMember, type CommunityRow, type InviteRow, type MemberRow,
} from './records.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS communities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS members (
    community_id TEXT NOT NULL REFERENCES communities(id), id TEXT NOT NULL,
    display_name TEXT NOT NULL, color TEXT NOT NULL, role TEXT NOT NULL, stewardships TEXT NOT NULL,
    joined_at INTEGER NOT NULL, removed_at INTEGER,
    PRIMARY KEY (community_id, id)
  );
  CREATE TABLE IF NOT EXISTS client_owners (
    doc TEXT NOT NULL, client_id INTEGER NOT NULL, member_id TEXT NOT NULL,
    PRIMARY KEY (doc, client_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, community_id TEXT NOT NULL REFERENCES communities(id),
    role TEXT NOT NULL, expires_at INTEGER NOT NULL, max_uses INTEGER, uses INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER
  );
`;

/**
 * The directory in the embedded SQLite file (its own connection beside the document store's).
 * Every method is one transaction, so an invite's use count can never exceed its limit.
 */
export class SqliteDirectory implements Directory {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(change: MembershipChange) => void>();
  private watchTimer: NodeJS.Timeout | null = null;

  constructor(path: string, private readonly now: () => number = Date.now) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  async createCommunity(input: Omit<Community, 'id' | 'createdAt'>, owner: NewMember) {
    const community = newCommunity(input, this.now());
    return this.db.transaction(() => {
      this.db.prepare('INSERT INTO communities (id, name, domain, description, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(community.id, community.name, community.domain, community.description, community.createdAt);
      return { community, owner: this.insertMember(community.id, { ...owner, role: 'owner' }) };
    })();
  }

  async getCommunity(id: string): Promise<Community | null> {
    const row = this.db.prepare<[string], CommunityRow>('SELECT * FROM communities WHERE id = ?').get(id);
    return row ? toCommunity(row) : null;
  }

  async listCommunities(): Promise<Community[]> {
    return this.db.prepare<[], CommunityRow>('SELECT * FROM communities ORDER BY created_at').all().map(toCommunity);
  }

  async getMember(communityId: string, memberId: string): Promise<Member | null> {
    const row = this.db.prepare<[string, string], MemberRow>('SELECT * FROM members WHERE community_id = ? AND id = ?')
      .get(communityId, memberId);
    return row ? toMember(row) : null;
  }

  async listMembers(communityId: string, { includeRemoved = false } = {}): Promise<Member[]> {
    const rows = this.db.prepare<[string], MemberRow>(
      `SELECT * FROM members WHERE community_id = ? ${includeRemoved ? '' : 'AND removed_at IS NULL'} ORDER BY joined_at, id`,
    ).all(communityId);
    return rows.map(toMember);
  }

  async addMember(communityId: string, member: NewMember & { role: Role }): Promise<Member> {
    return this.db.transaction(() => {
      this.requireCommunity(communityId);
      return this.insertMember(communityId, member);
    })();
  }

  async updateMember(communityId: string, memberId: string, change: { role?: Role; stewardships?: Stewardship[] }) {
    const updated = this.db.transaction(() => {
      const current = this.requireMember(communityId, memberId);
      const next = changedMember(current, change);
      if (losesOwner(current, next)) requireOtherOwners(this.otherOwners(communityId, memberId));
      this.db.prepare('UPDATE members SET role = ?, stewardships = ? WHERE community_id = ? AND id = ?')
        .run(next.role, JSON.stringify(next.stewardships), communityId, memberId);
      return next;
    })();
    this.emit({ communityId, memberId });
    return updated;
  }

  async removeMember(communityId: string, memberId: string): Promise<Member> {
    const removed = this.db.transaction(() => {
      const current = this.requireMember(communityId, memberId);
      if (losesOwner(current, null)) requireOtherOwners(this.otherOwners(communityId, memberId));
      const removedAt = this.now();
      this.db.prepare('UPDATE members SET removed_at = ? WHERE community_id = ? AND id = ?').run(removedAt, communityId, memberId);
      return { ...current, removedAt };
    })();
    this.emit({ communityId, memberId });
    return removed;
  }

  async createInvite(input: Omit<Invite, 'id' | 'uses' | 'createdAt' | 'revokedAt'>) {
    const { invite, code } = newInvite(input, this.now());
    this.db.transaction(() => {
      this.requireCommunity(input.communityId);
      this.db.prepare(`INSERT INTO invites (id, code_hash, community_id, role, expires_at, max_uses, uses, created_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`).run(invite.id, hashCode(code), invite.communityId, invite.role,
        invite.expiresAt, invite.maxUses, invite.createdBy, invite.createdAt);
    })();
    return { invite, code };
  }

  async findInvite(code: string): Promise<Invite | null> {
    const row = this.db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE code_hash = ?').get(hashCode(code));
    return row ? toInvite(row) : null;
  }

  async listInvites(communityId: string): Promise<Invite[]> {
    return this.db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE community_id = ? ORDER BY created_at')
      .all(communityId).map(toInvite);
  }

  async revokeInvite(communityId: string, inviteId: string): Promise<void> {
    const result = this.db.prepare('UPDATE invites SET revoked_at = ? WHERE community_id = ? AND id = ? AND revoked_at IS NULL')
      .run(this.now(), communityId, inviteId);
    if (result.changes === 0) throw noSuchActiveInvite();
  }

  async redeemInvite(code: string, member: NewMember) {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE code_hash = ?').get(hashCode(code));
      const invite = requireRedeemable(row ? toInvite(row) : null, this.now());
      this.db.prepare('UPDATE invites SET uses = uses + 1 WHERE id = ?').run(invite.id);
      return {
        community: this.requireCommunity(invite.communityId),
        member: this.insertMember(invite.communityId, { ...member, role: invite.role }),
      };
    })();
  }

  async clientOwners(doc: string): Promise<Map<number, string>> {
    const rows = this.db.prepare<[string], { client_id: number; member_id: string }>(
      'SELECT client_id, member_id FROM client_owners WHERE doc = ?').all(doc);
    return new Map(rows.map((r) => [r.client_id, r.member_id]));
  }

  async bindClients(doc: string, clientIds: readonly number[], memberId: string): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO client_owners (doc, client_id, member_id) VALUES (?, ?, ?)');
    this.db.transaction(() => { for (const id of clientIds) insert.run(doc, id, memberId); })();
  }

  onChange(listener: (change: MembershipChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Notices commits by other processes (the operator CLI): SQLite's `data_version` changes only
   * when another connection committed, so polling it is cheap and misses nothing.
   */
  watchOtherWriters(intervalMs: number): void {
    const read = (): number => this.db.pragma('data_version', { simple: true }) as number;
    let version = read();
    this.watchTimer = setInterval(() => {
      const current = read();
      if (current === version) return;
      version = current;
      this.emit({ communityId: null, memberId: null });
    }, intervalMs);
    this.watchTimer.unref();
  }

  async close(): Promise<void> {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.db.close();
  }

  private emit(change: MembershipChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private insertMember(communityId: string, member: NewMember & { role: Role }): Member {
    const row = newMember(communityId, member, this.now());
    this.db.prepare(`INSERT INTO members (community_id, id, display_name, color, role, stewardships, joined_at)
      VALUES (?, ?, ?, ?, ?, '[]', ?)`).run(communityId, row.id, row.displayName, row.color, row.role, row.joinedAt);
    return row;
  }

  private requireCommunity(id: string): Community {
    const row = this.db.prepare<[string], CommunityRow>('SELECT * FROM communities WHERE id = ?').get(id);
    if (!row) throw noSuchCommunity();
    return toCommunity(row);
  }

  private requireMember(communityId: string, memberId: string): Member {
    const row = this.db.prepare<[string, string], MemberRow>(
      'SELECT * FROM members WHERE community_id = ? AND id = ? AND removed_at IS NULL').get(communityId, memberId);
    if (!row) throw noSuchMember();
    return toMember(row);
  }

  private otherOwners(communityId: string, memberId: string): number {
    return this.db.prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM members WHERE community_id = ? AND id != ? AND role = 'owner' AND removed_at IS NULL",
    ).get(communityId, memberId)!.n;
  }
}
