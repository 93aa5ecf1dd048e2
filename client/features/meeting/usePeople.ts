import { useEffect, useMemo, useState } from 'react';
import { memberKey } from '../../../shared/schema/meeting.ts';
import { memberRequest, type Member } from '../../app/api.ts';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Me } from './useMeeting.ts';

/** Someone an action item can be given to. */
export interface Person { key: string; name: string }

const CACHE_PREFIX = 'guildhall:people:';

function cached(communityId: string): Person[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(CACHE_PREFIX + communityId) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((p): p is Person => typeof p?.key === 'string' && typeof p?.name === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The people of a community: its members from the API (remembered on this device, so owners can
 * be picked offline), or in the open `home` community, which has no member list, the people
 * named in `extra` (a meeting's attendees). Always includes this member.
 */
export function usePeople(communityId: string, me: Me, extra: readonly Person[] = []): Person[] {
  const entry = useStoredCommunity(communityId);
  const [members, setMembers] = useState<Person[]>(() => cached(communityId));
  const hasToken = entry !== null && !entry.removed;
  useEffect(() => {
    if (!hasToken) return;
    let current = true;
    memberRequest<{ members: Member[] }>(communityId, 'GET', '/members').then((answer) => {
      if (!current) return;
      const people = answer.members.map((m) => ({ key: memberKey(m.id, m.displayName), name: m.displayName }));
      localStorage.setItem(CACHE_PREFIX + communityId, JSON.stringify(people));
      setMembers(people);
    }, () => undefined); // offline: the remembered list stands
    return () => { current = false; };
  }, [communityId, hasToken]);
  return useMemo(() => {
    const byKey = new Map<string, Person>();
    for (const person of [{ key: me.key, name: me.name }, ...members, ...extra]) if (!byKey.has(person.key)) byKey.set(person.key, person);
    return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [me.key, me.name, members, extra]);
}
