import { DEFAULT_COMMUNITY } from '../../shared/docNames.ts';
import type { Identity } from '../collab/docSession.ts';
import { YourCommunities } from '../features/communities/YourCommunities.tsx';
import { MeetingNotesIndex, type NewNotes } from '../features/meeting/MeetingNotesIndex.tsx';
import { apiRequest } from './api.ts';

/** The open `home` community's notes go through the open endpoint: no token needed. */
async function createHomeNotes(from?: NewNotes): Promise<string> {
  const { name } = await apiRequest<{ name: string }>('POST', '/api/documents', { body: { kind: 'meeting', ...from } });
  return name;
}

/** The start page: the open `home` community's meeting notes, and the communities this browser belongs to. */
export function HomePage({ identity }: { identity: Identity }) {
  return (
    <>
      <MeetingNotesIndex communityId={DEFAULT_COMMUNITY} identity={identity} heading="Meetings"
        intro="Notes your community writes together, live or offline." createNotes={createHomeNotes} />
      <YourCommunities />
    </>
  );
}
