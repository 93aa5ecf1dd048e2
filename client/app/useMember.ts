import { useEffect, useState } from 'react';
import { may, type Action } from '../../shared/roles.ts';
import { useOnline } from '../ui/useOnline.ts';
import { memberRequest, type Member } from './api.ts';

/**
 * This browser's membership as the server has it now (role and stewardships), fetched when
 * online; null before that or offline. Stewardship actions (moderating, curating) go through the
 * server anyway, so they are offered only once it has answered.
 */
export function useMember(communityId: string): Member | null {
  const online = useOnline();
  const [member, setMember] = useState<Member | null>(null);
  useEffect(() => {
    if (!online) return;
    let current = true;
    memberRequest<{ member: Member }>(communityId, 'GET', '').then((answer) => { if (current) setMember(answer.member); }, () => undefined);
    return () => { current = false; };
  }, [communityId, online]);
  return member;
}

export function memberMay(member: Member | null, communityId: string, action: Action): boolean {
  return member !== null && may({ memberId: member.id, community: communityId, role: member.role, stewardships: member.stewardships }, action);
}
