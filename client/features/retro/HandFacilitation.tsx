import { useEffect, useState } from 'react';
import { memberRequest, type Member } from '../../app/api.ts';

/**
 * Owners hand facilitation to another member: they become a facilitator of the community, so the
 * relay lets them write the retro's control document (roles are the one source of that right).
 */
export function HandFacilitation({ communityId }: { communityId: string }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    memberRequest<{ members: Member[] }>(communityId, 'GET', '/members')
      .then((answer) => { if (current) setMembers(answer.members.filter((m) => m.role === 'member')); }, () => undefined);
    return () => { current = false; };
  }, [communityId]);
  if (members.length === 0 && !message) return null;
  const hand = async (): Promise<void> => {
    const member = members.find((m) => m.id === chosen);
    if (!member) return;
    try {
      await memberRequest(communityId, 'PATCH', `/members/${member.id}`, { role: 'facilitator' });
      setMessage(`${member.displayName} can facilitate now.`);
      setMembers(members.filter((m) => m.id !== member.id));
    } catch (e) {
      setMessage(`Could not hand over: ${(e as Error).message}`);
    }
  };
  return (
    <span className="hand-over">
      {members.length > 0 && (
        <>
          <label className="inline-label">Hand facilitation to
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">…</option>
              {members.map((m) => <option key={m.id} value={m.id}>{m.displayName}</option>)}
            </select>
          </label>
          <button type="button" disabled={!chosen} onClick={() => void hand()}>Hand over</button>
        </>
      )}
      {message && <span role="status">{message}</span>}
    </span>
  );
}
