import { describe, expect, it } from 'vitest';
import { indexDocName } from '../../shared/docNames.ts';
import { INDEX_DOCUMENTS_ROOT, MEETING_NOTES_ROOT, META_ROOT } from '../../shared/schema/documents.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { createCommunityWithRoles } from '../helpers/members.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { storedDoc } from '../helpers/storage.ts';

async function createIn(relay: TestRelay, communityId: string, token: string | null, body: unknown = { kind: 'meeting' }) {
  const response = await fetch(`${relay.url}/api/communities/${communityId}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

describe('documents of a member community, created over the HTTP API', () => {
  it('[A8] a member creates meeting notes in their community: seeded once, listed in that community\'s index', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const created = await createIn(relay, community.id, community.member.token, { kind: 'meeting', title: 'Guild kick-off' });
    expect(created.status).toBe(201);
    const name = created.body.name as string;
    expect(name).toMatch(new RegExp(`^${community.id}\\.shared\\.[a-z0-9]+$`));

    // The member opens it (and the index) with their token, as the browser does.
    const params = { token: community.member.token };
    const notes = connectClient(relay.wsUrl, name, { params });
    const index = connectClient(relay.wsUrl, indexDocName(community.id), { params });
    await waitSynced(notes, index);
    expect(notes.doc.getMap(META_ROOT).get('title')).toBe('Guild kick-off');
    expect(notes.doc.getXmlFragment(MEETING_NOTES_ROOT).toString()).toContain('Parking lot');
    expect(index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(name)).toMatchObject({ kind: 'meeting', title: 'Guild kick-off' });
    // The open community's index is untouched.
    expect((await storedDoc(relay.store, indexDocName('home'))).getMap(INDEX_DOCUMENTS_ROOT).size).toBe(0);

    for (const who of [community.owner, community.facilitator]) {
      expect((await createIn(relay, community.id, who.token)).status).toBe(201);
    }
  });

  it('[A8] viewers, strangers, removed members and tokens of another community cannot create documents', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const elsewhere = await createCommunityWithRoles(relay, 'Other guild');

    const viewer = await createIn(relay, community.id, community.viewer.token);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toBe('viewers cannot create documents');
    expect((await createIn(relay, community.id, null)).status).toBe(401);
    expect((await createIn(relay, community.id, elsewhere.member.token)).status).toBe(403);
    await relay.directory.removeMember(community.id, community.other.member.id);
    expect((await createIn(relay, community.id, community.other.token)).status).toBe(403);

    const invalid = await createIn(relay, community.id, community.member.token, { kind: 'spreadsheet' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/kind must be one of/);
    expect(await relay.store.listDocuments()).toEqual([]);
  });
});
