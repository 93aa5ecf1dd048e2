import { useState } from 'react';
import { ApiError, memberRequest } from '../../app/api.ts';
import { navigate } from '../../app/router.tsx';
import { forgetCommunity, type StoredCommunity } from '../../collab/communityTokens.ts';

/** Leaving removes the membership on the server, then this browser's token. */
export function LeaveCommunity({ entry }: { entry: StoredCommunity }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await memberRequest(entry.communityId, 'DELETE', `/members/${entry.memberId}`);
    } catch (e) {
      // Already removed: there is nothing left to leave on the server.
      if (!(e instanceof ApiError && e.status === 403)) {
        setError(`Could not leave: ${(e as Error).message}`);
        setBusy(false);
        return;
      }
    }
    forgetCommunity(entry.communityId);
    navigate('/');
  };

  return (
    <section className="leave" aria-label="Leave community">
      {!confirming
        ? <button type="button" className="danger" onClick={() => setConfirming(true)}>Leave community</button>
        : (
          <div className="confirm" role="group" aria-label="Confirm leaving">
            <p>Leave {entry.name}? You lose access to its documents; an owner would have to invite you again.</p>
            <button type="button" className="danger" disabled={busy} onClick={() => void leave()}>Yes, leave {entry.name}</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
