import type { Principal, Role, Stewardship } from '../../shared/roles.ts';

/**
 * Communities, their members and invites: who may do what, read by the relay at every upgrade
 * and by the API on every request, so a role change or removal takes effect at once.
 */

export interface Community {
  id: string;
  name: string;
  domain: string;
  description: string;
  createdAt: number;
}

export interface Member {
  id: string;
  communityId: string;
  displayName: string;
  color: string;
  role: Role;
  stewardships: Stewardship[];
  joinedAt: number;
  /** Set when the member was removed or left; removed members keep their history. */
  removedAt: number | null;
}

export function principalOf(member: Member): Principal {
  return { memberId: member.id, community: member.communityId, role: member.role, stewardships: member.stewardships };
}

export interface Invite {
  /** A short public id (for listing and revoking); the secret code is never stored. */
  id: string;
  communityId: string;
  role: Role;
  expiresAt: number;
  /** null: any number of uses until expiry. */
  maxUses: number | null;
  uses: number;
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface NewMember {
  displayName: string;
  color: string;
}

/**
 * Why a membership changed: the relay closes or downgrades that member's live sockets. `null`
 * ids: another process (the operator CLI) changed the directory, so anyone may be affected.
 */
export interface MembershipChange {
  communityId: string | null;
  memberId: string | null;
}

export class DirectoryError extends Error {
  constructor(readonly code: 'not-found' | 'conflict' | 'gone' | 'invalid', message: string) {
    super(message);
  }
}

export interface Directory {
  createCommunity(input: Omit<Community, 'id' | 'createdAt'>, owner: NewMember): Promise<{ community: Community; owner: Member }>;
  getCommunity(id: string): Promise<Community | null>;
  listCommunities(): Promise<Community[]>;
  getMember(communityId: string, memberId: string): Promise<Member | null>;
  /** Current members first by join time; removed members only when asked. */
  listMembers(communityId: string, options?: { includeRemoved?: boolean }): Promise<Member[]>;
  addMember(communityId: string, member: NewMember & { role: Role }): Promise<Member>;
  updateMember(communityId: string, memberId: string, change: { role?: Role; stewardships?: Stewardship[] }): Promise<Member>;
  removeMember(communityId: string, memberId: string): Promise<Member>;
  /** Returns the invite and its secret code, which exists only in this return value. */
  createInvite(input: Omit<Invite, 'id' | 'uses' | 'createdAt' | 'revokedAt'>): Promise<{ invite: Invite; code: string }>;
  findInvite(code: string): Promise<Invite | null>;
  listInvites(communityId: string): Promise<Invite[]>;
  revokeInvite(communityId: string, inviteId: string): Promise<void>;
  /** Atomically checks expiry, revocation and uses, counts the use and adds the member. */
  redeemInvite(code: string, member: NewMember): Promise<{ community: Community; member: Member }>;
  onChange(listener: (change: MembershipChange) => void): () => void;
  /** Which member first used each Yjs clientID in a document (DESIGN §2 validate). */
  clientOwners(doc: string): Promise<Map<number, string>>;
  /** Records first uses; an existing binding is never changed. */
  bindClients(doc: string, clientIds: readonly number[], memberId: string): Promise<void>;
  close(): Promise<void>;
}
