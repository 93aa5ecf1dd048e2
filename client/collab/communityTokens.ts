import { useSyncExternalStore } from 'react';
import { parseDocName } from '../../shared/docNames.ts';
import { isRole, type Role } from '../../shared/roles.ts';

/**
 * The communities this browser belongs to, each with the member token the server signed
 * (README "Tokens"), kept in localStorage so documents of those communities open offline and
 * reconnect without asking again. A community with no entry here is opened without a token:
 * that is how the open `home` community works.
 *
 * The token is a bearer secret: it is never logged, and it reaches the relay only as a websocket
 * subprotocol (docSession.ts) or an Authorization header (app/api.ts).
 */
export interface StoredCommunity {
  communityId: string;
  name: string;
  domain: string;
  memberId: string;
  role: Role;
  token: string;
  /** Set once the relay or the API said this member was removed; their local copies stay readable. */
  removed?: boolean;
}

const STORAGE_KEY = 'guildhall:communities';
const listeners = new Set<() => void>();
let cache: { raw: string | null; list: StoredCommunity[] } = { raw: null, list: [] };

function isStoredCommunity(value: unknown): value is StoredCommunity {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['communityId', 'name', 'domain', 'memberId', 'token'].every((key) => typeof v[key] === 'string') && isRole(v.role);
}

/** The stored list, the same array for as long as storage is unchanged (for useSyncExternalStore). */
export function storedCommunities(): StoredCommunity[] {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (raw === cache.raw) return cache.list;
  let list: StoredCommunity[] = [];
  try {
    const parsed: unknown = JSON.parse(raw ?? '[]');
    if (Array.isArray(parsed)) list = parsed.filter(isStoredCommunity);
  } catch {
    // unreadable: as if this browser belonged to no community
  }
  cache = { raw, list };
  return list;
}

export function storedCommunity(communityId: string): StoredCommunity | null {
  return storedCommunities().find((c) => c.communityId === communityId) ?? null;
}

function write(list: StoredCommunity[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  for (const listener of listeners) listener();
}

/** Adds or replaces this community's entry (joining again replaces the old membership). */
export function storeCommunity(entry: StoredCommunity): void {
  write([...storedCommunities().filter((c) => c.communityId !== entry.communityId), entry]);
}

export function updateStoredCommunity(communityId: string, change: Partial<Omit<StoredCommunity, 'communityId'>>): void {
  const list = storedCommunities();
  const current = list.find((c) => c.communityId === communityId);
  if (!current || Object.entries(change).every(([key, value]) => current[key as keyof StoredCommunity] === value)) return;
  write(list.map((c) => (c === current ? { ...c, ...change } : c)));
}

export function forgetCommunity(communityId: string): void {
  write(storedCommunities().filter((c) => c.communityId !== communityId));
}

/** The member token for a document's community, or null for open communities (no entry). */
export function tokenForDocument(docName: string): string | null {
  const community = parseDocName(docName)?.community;
  return community ? storedCommunity(community)?.token ?? null : null;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab joined, left or renewed a token.
  const onStorage = (event: StorageEvent): void => { if (event.key === STORAGE_KEY) listener(); };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useStoredCommunities(): StoredCommunity[] {
  return useSyncExternalStore(subscribe, storedCommunities);
}

export function useStoredCommunity(communityId: string | null): StoredCommunity | null {
  const list = useStoredCommunities();
  return list.find((c) => c.communityId === communityId) ?? null;
}

/** `iat` and `exp` (ms) read from the token's payload, unverified: only to decide when to renew. */
export function tokenLifetime(token: string): { issuedAt: number; expiresAt: number } | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { iat, exp } = JSON.parse(json) as { iat?: unknown; exp?: unknown };
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    return { issuedAt: iat * 1000, expiresAt: exp * 1000 };
  } catch {
    return null;
  }
}

/** Renew once past half the token's life, so a member who visits monthly never meets an expired one. */
export function tokenNeedsRenewal(token: string, now = Date.now()): boolean {
  const lifetime = tokenLifetime(token);
  if (!lifetime) return true; // let the server decide; it answers with a fresh token or a reason
  return now >= lifetime.issuedAt + (lifetime.expiresAt - lifetime.issuedAt) / 2;
}
