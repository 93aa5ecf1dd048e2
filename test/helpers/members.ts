import { mintToken } from '../../server/auth/tokens.ts';
import type { Member } from '../../server/directory/directory.ts';
import type { Role } from '../../shared/roles.ts';
import type { TestRelay } from './relay.ts';

export interface TestMember {
  member: Member;
  /** A fresh member token (30 days), as the API would hand out. */
  token: string;
}

export interface TestCommunity {
  id: string;
  /** The relay's token-signing secret, to mint expired, short-lived or odd tokens. */
  secret: Uint8Array;
  owner: TestMember;
  facilitator: TestMember;
  member: TestMember;
  viewer: TestMember;
  /** A second plain member: someone else's personal documents, and an independent reader. */
  other: TestMember;
  tokenFor(member: Member, options?: { ttlSeconds?: number; now?: number }): Promise<string>;
}

/**
 * A community straight in the relay's directory with one member of each role plus `other`,
 * each with a token signed by the relay's own secret (as the HTTP API would mint it).
 */
export async function createCommunityWithRoles(relay: Pick<TestRelay, 'authSecret' | 'directory'>, name = 'Testing guild'): Promise<TestCommunity> {
  const secret = relay.authSecret;
  const { community, owner } = await relay.directory.createCommunity(
    { name, domain: 'Software testing', description: '' }, { displayName: 'Olga', color: '#2f6f4e' });
  const add = (role: Role, displayName: string): Promise<Member> =>
    relay.directory.addMember(community.id, { role, displayName, color: '#8a4b9c' });
  const withToken = async (member: Member): Promise<TestMember> => ({ member, token: await mintToken(secret, member) });
  return {
    id: community.id,
    secret,
    owner: await withToken(owner),
    facilitator: await withToken(await add('facilitator', 'Fatima')),
    member: await withToken(await add('member', 'Mia')),
    viewer: await withToken(await add('viewer', 'Victor')),
    other: await withToken(await add('member', 'Otto')),
    tokenFor: (member, options) => mintToken(secret, member, options),
  };
}
