import { useEffect } from 'react';
import { updateStoredCommunity, useStoredCommunity } from './communityTokens.ts';
import type { DocSession } from './docSession.ts';
import type { DocStatus } from './status.ts';

/** The reason the relay gives when it closes a removed member's sockets (server/relay/relay.ts, close 4403). */
export const REMOVED_REASON = 'removed from the community';

export const REMOVED_MESSAGE = 'You were removed from this community.';

/**
 * Whether this browser's member was removed from `communityId`: the relay just closed a document
 * for that reason, or it was learnt earlier and kept in the token store. After a reload the relay
 * only refuses the upgrade (no reason reaches the browser, and the provider would retry forever),
 * so a session of a community known to be removed is stopped here instead.
 */
export function useRemoved(communityId: string | null, session: DocSession | null, status: DocStatus): boolean {
  const entry = useStoredCommunity(communityId);
  const removedNow = status.phase === 'stopped' && status.reason === REMOVED_REASON;
  const removedBefore = entry?.removed === true;
  useEffect(() => {
    if (removedNow && communityId) updateStoredCommunity(communityId, { removed: true });
  }, [removedNow, communityId]);
  useEffect(() => {
    if (removedBefore && session && session.getStatus().phase !== 'stopped') session.stop(REMOVED_REASON);
  }, [removedBefore, session]);
  return removedNow || removedBefore;
}
