/**
 * Roles and stewardship (DESIGN §1). Every member has one role; stewardship roles are
 * capabilities held in addition, assigned by owners, and checked on the server.
 */

export const ROLES = ['owner', 'facilitator', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const STEWARDSHIPS = [
  'membership-manager', // invite and remove members
  'moderator', // hide and lock content
  'knowledge-editor', // curate the practice library
  'librarian', // curate the practice library
  'archivist', // seal and restore history
  'usage-analyst', // export aggregate analytics
  'knowledge-broker', // share entries into other communities
] as const;
export type Stewardship = (typeof STEWARDSHIPS)[number];

/** Something a member may ask the server to do, beyond reading and writing documents. */
export type Action =
  | 'invite' | 'remove-member' | 'assign-roles'
  | 'moderate' | 'curate-library' | 'seal-history' | 'export-analytics' | 'broker-knowledge';

/** Which stewardship grants an action; owners may do everything. */
const GRANTED_BY: Record<Action, Stewardship | null> = {
  'invite': 'membership-manager',
  'remove-member': 'membership-manager',
  'assign-roles': null,
  'moderate': 'moderator',
  'curate-library': 'librarian',
  'seal-history': 'archivist',
  'export-analytics': 'usage-analyst',
  'broker-knowledge': 'knowledge-broker',
};

export interface Principal {
  memberId: string;
  community: string;
  role: Role;
  stewardships: readonly Stewardship[];
}

export function may(principal: Principal, action: Action): boolean {
  if (principal.role === 'owner') return true;
  const stewardship = GRANTED_BY[action];
  if (stewardship === null) return false;
  if (action === 'curate-library' && principal.stewardships.includes('knowledge-editor')) return true;
  return principal.stewardships.includes(stewardship);
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export function isStewardship(value: unknown): value is Stewardship {
  return (STEWARDSHIPS as readonly unknown[]).includes(value);
}
