import { useMemo } from 'react';
import { readEntries, readStatuses, readStories } from '../../../shared/library/model.ts';
import { libraryDocNames, type LibraryEntry, type ValueStory } from '../../../shared/schema/library.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { combineStatuses, type DocStatus } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { useDocsVersion } from '../../ui/useY.ts';

export interface LibraryState {
  library: DocSession | null;
  status: DocStatus;
  libraryStatus: DocStatus;
  entries: LibraryEntry[];
  stories: ValueStory[];
}

/** The practice library's two documents (schema/library.ts): its entries with their status, and its value stories. */
export function useLibrary(communityId: string, identity: Identity): LibraryState {
  const names = libraryDocNames(communityId);
  const library = useDocSession(names.library, identity);
  const statuses = useDocSession(names.statuses, identity);
  const libraryStatus = useDocStatus(library);
  const statusesStatus = useDocStatus(statuses);
  const version = useDocsVersion([library?.doc ?? null, statuses?.doc ?? null]);
  const { entries, stories } = useMemo(
    () => (library && statuses ? { entries: readEntries(library.doc, readStatuses(statuses.doc)), stories: readStories(library.doc) } : { entries: [], stories: [] }),
    // version changes whenever either document does
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [library, statuses, version],
  );
  return { library, libraryStatus, status: combineStatuses(libraryStatus, [statusesStatus]), entries, stories };
}
