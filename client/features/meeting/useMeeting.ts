import { parseDocName } from '../../../shared/docNames.ts';
import { controlDocName, memberKey } from '../../../shared/schema/meeting.ts';
import { registerDocName } from '../../../shared/schema/register.ts';
import { useEffect } from 'react';
import { memberRequest, type Member } from '../../app/api.ts';
import { updateStoredCommunity, useStoredCommunity } from '../../collab/communityTokens.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { combineStatuses, type DocStatus } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';

/** The member using this browser, as meetings and the register name them. */
export interface Me {
  key: string;
  name: string;
  color: string;
  memberId: string | null;
}

export function useMe(communityId: string, identity: Identity): Me {
  const entry = useStoredCommunity(communityId);
  const memberId = entry?.memberId ?? null;
  return { key: memberKey(memberId, identity.name), name: identity.name, color: identity.color, memberId };
}

/**
 * Whether this member runs meetings here: owners and facilitators of a community with tokens;
 * anyone in an open community. Decided from the stored role as well as the relay's access frame,
 * so a member offline never writes a control document the relay would refuse later (the change
 * would stay on their device alone).
 */
export function useMayFacilitate(communityId: string, control: DocStatus): boolean {
  const entry = useStoredCommunity(communityId);
  const roleAllows = !entry || entry.role === 'owner' || entry.role === 'facilitator';
  // The relay granted writing the control (connected, not read-only) though the stored role says
  // otherwise: this member was made a facilitator meanwhile. Learn the new role from the API.
  const grantedByRelay = entry !== null && !roleAllows && (control.phase === 'saved' || control.phase === 'syncing') && !control.readOnly;
  useEffect(() => {
    if (!grantedByRelay) return;
    memberRequest<{ member: Member }>(communityId, 'GET', '').then(
      ({ member }) => updateStoredCommunity(communityId, { role: member.role }), () => undefined);
  }, [grantedByRelay, communityId]);
  return roleAllows && !entry?.removed && !control.readOnly && control.phase !== 'stopped';
}

export interface MeetingSessions {
  community: string;
  meeting: DocSession | null;
  control: DocSession | null;
  register: DocSession | null;
  meetingStatus: DocStatus;
  controlStatus: DocStatus;
  registerStatus: DocStatus;
  /** All three as one badge: Saved only when each is. */
  status: DocStatus;
}

/** A meeting's three documents (schema/meeting.ts), opened and closed together. */
export function useMeetingSessions(name: string, identity: Identity): MeetingSessions {
  const community = parseDocName(name)?.community ?? '';
  const meeting = useDocSession(name, identity);
  const control = useDocSession(controlDocName(name), identity);
  const register = useDocSession(registerDocName(community), identity);
  const meetingStatus = useDocStatus(meeting);
  const controlStatus = useDocStatus(control);
  const registerStatus = useDocStatus(register);
  return {
    community, meeting, control, register, meetingStatus, controlStatus, registerStatus,
    status: combineStatuses(meetingStatus, [controlStatus, registerStatus]),
  };
}
