import type { Role, Stewardship } from '../../shared/roles.ts';
import {
  storedCommunities, storedCommunity, storeCommunity, tokenNeedsRenewal, updateStoredCommunity, type StoredCommunity,
} from '../collab/communityTokens.ts';
import { createLogger } from './log.ts';

const log = createLogger('api');

/** A refusal from the HTTP API, with the server's own sentence (`{"error": …}`). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface Community { id: string; name: string; domain: string; description: string }
export interface Member {
  id: string;
  displayName: string;
  color: string;
  role: Role;
  stewardships: Stewardship[];
  joinedAt?: number;
}
/** What creating a community, joining one and renewing a token answer. */
export interface MemberSession { community?: Community; member: Member & { communityId: string }; token: string }

export async function apiRequest<T>(method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'the server cannot be reached: check your connection');
  }
  const answer = await response.json().catch(() => ({})) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, answer.error ?? `the server answered ${response.status}`);
  return answer as T;
}

/** Keeps what a create or join answered: the token and the membership it stands for. */
export function rememberMembership(session: MemberSession & { community: Community }): StoredCommunity {
  const entry: StoredCommunity = {
    communityId: session.community.id, name: session.community.name, domain: session.community.domain,
    memberId: session.member.id, role: session.member.role, token: session.token,
  };
  storeCommunity(entry);
  return entry;
}

const renewals = new Map<string, Promise<string>>();

/**
 * The community's token, renewed first when past half its life. A failed renewal of a token that
 * still works is not fatal (offline, say): the old token is used and renewal is tried next time.
 */
export function freshToken(communityId: string): Promise<string> {
  const entry = storedCommunity(communityId);
  if (!entry) return Promise.reject(new ApiError(401, 'this browser is not a member of this community'));
  if (!tokenNeedsRenewal(entry.token)) return Promise.resolve(entry.token);
  let renewal = renewals.get(communityId);
  if (!renewal) {
    renewal = apiRequest<MemberSession>('POST', `/api/communities/${communityId}/token`, { token: entry.token })
      .then((session) => {
        updateStoredCommunity(communityId, { token: session.token, role: session.member.role });
        return session.token;
      }, (error: unknown) => {
        if (error instanceof ApiError && error.status !== 0) throw error;
        return entry.token;
      })
      .finally(() => renewals.delete(communityId));
    renewals.set(communityId, renewal);
  }
  return renewal;
}

/** A request as this browser's member of `communityId`; a 403 "no longer a member" marks the entry removed. */
export async function memberRequest<T>(communityId: string, method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await apiRequest<T>(method, `/api/communities/${communityId}${path}`, { token: await freshToken(communityId), body });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && /no longer a member/.test(error.message)) {
      updateStoredCommunity(communityId, { removed: true });
    }
    throw error;
  }
}

/**
 * At start: renew every stored token past half its life (documents reconnect with the stored
 * one), refresh names and roles, and learn of removals that happened while this tab was closed
 * (the relay then refuses the websocket without saying why).
 */
export function refreshMemberships(): void {
  for (const entry of storedCommunities()) {
    if (entry.removed) continue;
    memberRequest<{ community: Community; member: Member }>(entry.communityId, 'GET', '').then(({ community, member }) => {
      updateStoredCommunity(entry.communityId, { name: community.name, domain: community.domain, role: member.role });
    }, (error: unknown) => {
      if (!(error instanceof ApiError && error.status === 0)) log.warn('could not refresh a membership', { community: entry.communityId, error });
    });
  }
}
