import type { Role, Stewardship } from '../../../shared/roles.ts';

/** What each role means to the person holding it (README "Communities, roles and access"). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'may do everything, including granting roles and stewardships.',
  facilitator: 'writes notes and runs meetings (timers, phases).',
  member: 'reads and writes the community\'s notes.',
  viewer: 'reads everything, live, but cannot edit.',
};

export const STEWARDSHIP_DESCRIPTIONS: Record<Stewardship, string> = {
  'membership-manager': 'invites members and viewers, removes members',
  'moderator': 'hides and locks content',
  'knowledge-editor': 'curates the practice library',
  'librarian': 'curates the practice library',
  'archivist': 'seals and restores history',
  'usage-analyst': 'exports aggregate analytics',
  'knowledge-broker': 'shares entries into other communities',
};
