import { useCallback, useEffect, useState } from 'react';
import { memberRequest, type Member } from '../../app/api.ts';
import { InviteDialog } from './InviteDialog.tsx';
import { MemberRow } from './MemberRow.tsx';

/** Members join through links from other browsers: look again now and then while the page is open. */
const MEMBERS_REFRESH_MS = 10_000;

interface Props {
  communityId: string;
  myId: string;
  isOwner: boolean;
  mayInvite: boolean;
  mayRemove: boolean;
}

/** Current members with their roles and stewardships; owners and membership managers manage them here. */
export function MembersPanel({ communityId, myId, isOwner, mayInvite, mayRemove }: Props) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);

  const reload = useCallback((): Promise<void> =>
    memberRequest<{ members: Member[] }>(communityId, 'GET', '/members').then(
      (answer) => { setMembers(answer.members); setError(null); },
      (e: unknown) => setError(`Could not load the members: ${(e as Error).message}`),
    ), [communityId]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void reload(); }, MEMBERS_REFRESH_MS);
    const onFocus = (): void => void reload();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [reload]);

  /** Runs a change, then shows the list as the server now has it (or why it refused). */
  const change = useCallback(async (request: () => Promise<unknown>): Promise<void> => {
    try {
      await request();
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  }, [reload]);

  return (
    <section className="members" aria-labelledby="members-title">
      <header className="section-header">
        <h2 id="members-title">Members</h2>
        {mayInvite && <button type="button" onClick={() => setInviting(true)}>Invite people</button>}
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {members === null
        ? !error && <p className="muted">Loading the members…</p>
        : (
          <ul className="member-list" aria-label="Members">
            {members.map((member) => (
              <MemberRow key={member.id} member={member} self={member.id === myId} isOwner={isOwner}
                mayRemove={mayRemove && member.id !== myId && (isOwner || member.role !== 'owner')}
                onChange={(body) => {
                  // Shown at once; the reload after the request shows what the server really kept.
                  setMembers((list) => list && list.map((m) => (m.id === member.id ? { ...m, ...body } : m)));
                  return change(() => memberRequest(communityId, 'PATCH', `/members/${member.id}`, body));
                }}
                onRemove={() => change(() => memberRequest(communityId, 'DELETE', `/members/${member.id}`))} />
            ))}
          </ul>
        )}
      {inviting && <InviteDialog communityId={communityId} anyRole={isOwner} onClose={() => { setInviting(false); void reload(); }} />}
    </section>
  );
}
