import { errors, jwtVerify, SignJWT } from 'jose';
import { isRole, type Role } from '../../shared/roles.ts';

/**
 * Member tokens: HS256 JWTs signed by the server (README "Tokens"). A token proves *who* the
 * bearer is in *which* community; what they may do is read from the directory at each use, so
 * a role change or removal takes effect without waiting for the token to expire.
 *
 *   iss  "guildhall"         sub  member id           cid  community id
 *   role role when issued    iat  issued at (s)       exp  expiry (s)
 */
export const TOKEN_ISSUER = 'guildhall';
export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const ALGORITHM = 'HS256';

export interface TokenClaims {
  memberId: string;
  communityId: string;
  role: Role;
  expiresAt: number; // ms since epoch
}

export class TokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'token expired' : 'token invalid');
  }
}

export async function mintToken(
  secret: Uint8Array,
  member: { id: string; communityId: string; role: Role },
  { ttlSeconds = TOKEN_TTL_SECONDS, now = Date.now() }: { ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ cid: member.communityId, role: member.role })
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(member.id)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(secret);
}

export async function verifyToken(secret: Uint8Array, token: string, now = Date.now()): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [ALGORITHM], issuer: TOKEN_ISSUER, currentDate: new Date(now), clockTolerance: 0,
    });
    const { sub, cid, role, exp } = payload;
    if (typeof sub !== 'string' || typeof cid !== 'string' || !isRole(role) || typeof exp !== 'number') {
      throw new TokenError('invalid');
    }
    return { memberId: sub, communityId: cid, role, expiresAt: exp * 1000 };
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenError('expired');
    throw new TokenError('invalid');
  }
}
