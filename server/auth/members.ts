import type { Directory, Member } from '../directory/directory.ts';
import { TokenError, verifyToken } from './tokens.ts';

export type MemberCheck =
  | { ok: true; member: Member; expiresAt: number }
  | { ok: false; status: 401 | 403; reason: string };

/**
 * Who a token's bearer is in `communityId` right now: the one check behind every API request
 * and every websocket upgrade. The token proves identity; membership and role come from the
 * directory, so removals and role changes take effect without waiting for the token to expire.
 */
export async function currentMember(
  directory: Directory, authSecret: Uint8Array, token: string, communityId: string,
): Promise<MemberCheck> {
  let claims;
  try {
    claims = await verifyToken(authSecret, token);
  } catch (error) {
    return { ok: false, status: 401, reason: error instanceof TokenError && error.reason === 'expired' ? 'your session expired' : 'invalid token' };
  }
  if (claims.communityId !== communityId) return { ok: false, status: 403, reason: 'this token belongs to another community' };
  const member = await directory.getMember(communityId, claims.memberId);
  if (!member) return { ok: false, status: 401, reason: 'invalid token' };
  if (member.removedAt !== null) return { ok: false, status: 403, reason: 'you are no longer a member of this community' };
  return { ok: true, member, expiresAt: claims.expiresAt };
}
