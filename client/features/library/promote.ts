import { addEntry, type NewEntry } from '../../../shared/library/model.ts';
import { libraryDocNames } from '../../../shared/schema/library.ts';
import { libraryPath, navigate } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import { acquireSession, releaseSession } from '../../collab/sessions.ts';

export type Promotion = Omit<NewEntry, 'owner' | 'ownerName' | 'reviewBy'>;

/**
 * "Promote to library": writes a draft entry with a link back to its source into the library
 * document on this device (offline too; it syncs like any change) and opens it. The promoting
 * member owns the entry until someone else takes it.
 */
export async function promoteToLibrary(communityId: string, memberId: string, identity: Identity, promotion: Promotion): Promise<void> {
  const session = acquireSession(libraryDocNames(communityId).library, identity);
  try {
    await session.whenLocalLoaded;
    const id = addEntry(session.doc, { ...promotion, owner: memberId, ownerName: identity.name, reviewBy: null });
    navigate(libraryPath(communityId, id));
  } finally {
    releaseSession(session);
  }
}
