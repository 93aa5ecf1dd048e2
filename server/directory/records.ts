import { createHash } from 'node:crypto';
import { randomId } from '../../shared/ids.ts';
import type { Role, Stewardship } from '../../shared/roles.ts';
import { DirectoryError, type Community, type Invite, type Member, type NewMember } from './directory.ts';

/**
 * What the SQLite and PostgreSQL directories share, so the two cannot drift: the row shapes and
 * their mapping, new records, invite-code hashing, and the rules' checks with their messages.
 * Each directory keeps only its SQL and its way of making the checks atomic. Times are epoch
 * milliseconds in both databases; stewardships are a JSON array in a text column.
 */

export interface CommunityRow { id: string; name: string; domain: string; description: string; created_at: number }
export interface MemberRow {
  community_id: string; id: string; display_name: string; color: string; role: string;
  stewardships: string; joined_at: number; removed_at: number | null;
}
export interface InviteRow {
  id: string; community_id: string; role: string; expires_at: number; max_uses: number | null; uses: number;
  created_by: string; created_at: number; revoked_at: number | null;
}

export const toCommunity = (r: CommunityRow): Community => ({
  id: r.id, name: r.name, domain: r.domain, description: r.description, createdAt: r.created_at,
});
export const toMember = (r: MemberRow): Member => ({
  id: r.id, communityId: r.community_id, displayName: r.display_name, color: r.color, role: r.role as Role,
  stewardships: JSON.parse(r.stewardships) as Stewardship[], joinedAt: r.joined_at, removedAt: r.removed_at,
});
export const toInvite = (r: InviteRow): Invite => ({
  id: r.id, communityId: r.community_id, role: r.role as Role, expiresAt: r.expires_at, maxUses: r.max_uses,
  uses: r.uses, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at,
});

/** Invite codes are bearer secrets: only their hash is stored. */
export const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex');

export const newCommunity = (input: Omit<Community, 'id' | 'createdAt'>, now: number): Community =>
  ({ id: randomId(10), createdAt: now, ...input });

export const newMember = (communityId: string, member: NewMember & { role: Role }, now: number): Member => ({
  id: randomId(12), communityId, displayName: member.displayName, color: member.color, role: member.role,
  stewardships: [], joinedAt: now, removedAt: null,
});

/** The invite and its code; the code exists only in this return value (the caller stores its hash). */
export function newInvite(input: Omit<Invite, 'id' | 'uses' | 'createdAt' | 'revokedAt'>, now: number): { invite: Invite; code: string } {
  return { invite: { ...input, id: randomId(10), uses: 0, createdAt: now, revokedAt: null }, code: randomId(32) };
}

/** A member after `change`: the role as given or kept, each stewardship once. */
export function changedMember(current: Member, change: { role?: Role; stewardships?: Stewardship[] }): Member {
  return { ...current, role: change.role ?? current.role, stewardships: [...new Set(change.stewardships ?? current.stewardships)] };
}

/** Whether a member leaving `current` for `next` (null: removed) takes an owner away. */
export const losesOwner = (current: Member, next: Member | null): boolean => current.role === 'owner' && next?.role !== 'owner';

/** A community always keeps at least one owner. */
export function requireOtherOwners(otherOwners: number): void {
  if (otherOwners === 0) throw new DirectoryError('conflict', 'a community needs at least one owner: make someone else owner first');
}

/** Throws unless the invite may be used once more at `now`. */
export function requireRedeemable(invite: Invite | null, now: number): Invite {
  if (!invite) throw new DirectoryError('not-found', 'this invite link is not valid');
  if (invite.revokedAt !== null) throw new DirectoryError('gone', 'this invite link was revoked');
  if (invite.expiresAt <= now) throw new DirectoryError('gone', 'this invite link has expired');
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) throw new DirectoryError('gone', 'this invite link was already used');
  return invite;
}

export const noSuchCommunity = (): DirectoryError => new DirectoryError('not-found', 'no such community');
export const noSuchMember = (): DirectoryError => new DirectoryError('not-found', 'no such member');
export const noSuchActiveInvite = (): DirectoryError => new DirectoryError('not-found', 'no such active invite');
