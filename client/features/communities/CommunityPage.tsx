import { useEffect, useState } from 'react';
import { may, type Principal } from '../../../shared/roles.ts';
import { memberRequest, type Community, type Member } from '../../app/api.ts';
import { createLogger } from '../../app/log.ts';
import { boardPath, charterPath, healthPath, libraryPath, Link, navigate, searchPath } from '../../app/router.tsx';
import { forgetCommunity, updateStoredCommunity, useStoredCommunity, type StoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { REMOVED_MESSAGE } from '../../collab/removal.ts';
import { MeetingNotesIndex, type NewNotes } from '../meeting/MeetingNotesIndex.tsx';
import { NewRetroForm } from '../retro/NewRetroForm.tsx';
import { SealArchive } from '../history/SealArchive.tsx';
import { ExportCommunity } from './ExportCommunity.tsx';
import { SinceLastVisit } from './SinceLastVisit.tsx';
import { LeaveCommunity } from './LeaveCommunity.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { ROLE_DESCRIPTIONS } from './roleText.ts';

const log = createLogger('community');

/**
 * The caller's community and membership as the server sees them now. Refreshes the stored name
 * and role (a role changed by an owner shows at the next visit), and learns of a removal.
 */
function useMembership(entry: StoredCommunity | null): { community: Community | null; me: Member | null } {
  const [answer, setAnswer] = useState<{ community: Community; member: Member } | null>(null);
  const communityId = entry?.removed ? null : entry?.communityId ?? null;
  useEffect(() => {
    if (!communityId) return;
    let current = true;
    memberRequest<{ community: Community; member: Member }>(communityId, 'GET', '').then((result) => {
      if (!current) return;
      setAnswer(result);
      const { name, domain } = result.community;
      updateStoredCommunity(communityId, { name, domain, role: result.member.role });
    }, (error: unknown) => log.warn('could not refresh the membership', { community: communityId, error }));
    return () => { current = false; };
  }, [communityId]);
  return { community: answer?.community ?? null, me: answer?.member ?? null };
}

/** A member community's home: what it is, its meeting notes, its members, and leaving. */
export function CommunityPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  const { community, me } = useMembership(entry);

  if (!entry) {
    return (
      <p className="empty">This browser is not a member of this community. Ask one of its members for an invite link.{' '}
        <Link to="/">Back to Guildhall</Link></p>
    );
  }
  const principal: Principal = {
    memberId: entry.memberId, community: communityId, role: me?.role ?? entry.role, stewardships: me?.stewardships ?? [],
  };
  const isViewer = principal.role === 'viewer';
  const createNotes = isViewer ? undefined : async (from?: NewNotes): Promise<string> =>
    (await memberRequest<{ name: string }>(communityId, 'POST', '/documents', { kind: 'meeting', ...from })).name;

  return (
    <div className="community-page">
      <header className="community-header">
        <h1>{entry.name}</h1>
        <p className="domain">{entry.domain}</p>
        {community?.description && <p>{community.description}</p>}
        <p className="muted">You are <strong>{principal.role}</strong> here: {ROLE_DESCRIPTIONS[principal.role]}</p>
        <nav className="community-links" aria-label="Community spaces">
          <Link to={charterPath(communityId)} className="charter-link">Charter</Link>
          <Link to={boardPath(communityId)} className="charter-link">Board</Link>
          <Link to={libraryPath(communityId)} className="charter-link">Practice library</Link>
          <Link to={searchPath(communityId)} className="charter-link">Search</Link>
          <Link to={healthPath(communityId)} className="charter-link">Health</Link>
        </nav>
      </header>
      {entry.removed && (
        <div className="error" role="alert">
          <p>{REMOVED_MESSAGE} Notes already on this device stay readable here, but they no longer sync.</p>
          <button type="button" onClick={() => { forgetCommunity(communityId); navigate('/'); }}>Forget this community on this device</button>
        </div>
      )}
      {isViewer && !entry.removed && <p className="notice" role="note">As a viewer you see the notes live, but cannot edit or create them.</p>}
      {!entry.removed && <SinceLastVisit communityId={communityId} />}
      <MeetingNotesIndex communityId={communityId} identity={identity} heading="Meetings" headingLevel={2} createNotes={createNotes} />
      {!entry.removed && (principal.role === 'owner' || principal.role === 'facilitator') && <NewRetroForm communityId={communityId} />}
      {!entry.removed && (
        <>
          <MembersPanel communityId={communityId} myId={entry.memberId} isOwner={principal.role === 'owner'}
            mayInvite={may(principal, 'invite')} mayRemove={may(principal, 'remove-member')} />
          <ExportCommunity communityId={communityId} />
          <SealArchive communityId={communityId} identity={identity} maySeal={may(principal, 'seal-history')} />
          <LeaveCommunity entry={entry} />
        </>
      )}
    </div>
  );
}
