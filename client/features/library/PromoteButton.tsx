import { useState } from 'react';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import { promoteToLibrary, type Promotion } from './promote.ts';

interface Props {
  communityId: string;
  identity: { name: string; color: string };
  /** Read when clicked, so the entry starts from the source as it is then. */
  promotion: () => Promotion;
  label?: string;
}

/** "Promote to library" for members of a community with a library (not viewers, not the open home community). */
export function PromoteButton({ communityId, identity, promotion, label = 'Promote to library' }: Props) {
  const entry = useStoredCommunity(communityId);
  const [busy, setBusy] = useState(false);
  if (!entry || entry.removed || entry.role === 'viewer') return null;
  return (
    <button type="button" className="promote" disabled={busy} onClick={() => {
      setBusy(true);
      promoteToLibrary(communityId, entry.memberId, identity, promotion()).finally(() => setBusy(false));
    }}>{label}</button>
  );
}
