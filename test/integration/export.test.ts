import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, addComment, readLanes } from '../../shared/board/model.ts';
import { addEntry } from '../../shared/library/model.ts';
import { fragmentToMarkdown } from '../../shared/meeting/markdown.ts';
import { addDecision } from '../../shared/meeting/register.ts';
import { writeDraft } from '../../shared/retro/model.ts';
import { MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { boardDocNames } from '../../shared/schema/board.ts';
import { libraryDocNames } from '../../shared/schema/library.ts';
import { registerDocName } from '../../shared/schema/register.ts';
import { personalRetroDocName } from '../../shared/schema/retro.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { createCommunityWithRoles } from '../helpers/members.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

describe('community export and Markdown import', () => {
  it('[X1] a member downloads the whole community: raw Yjs state, JSON and Markdown of every shared document (the board and library too), none of anyone\'s personal documents', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const auth = { authorization: `Bearer ${community.member.token}`, 'content-type': 'application/json' };
    await fetch(`${relay.url}/api/communities/${community.id}/charter`, { method: 'POST', headers: auth, body: '{}' });
    const { name } = await fetch(`${relay.url}/api/communities/${community.id}/documents`, {
      method: 'POST', headers: auth, body: JSON.stringify({ kind: 'meeting', title: 'Kick-off' }),
    }).then((r) => r.json()) as { name: string };
    const meeting = connectClient(relay.wsUrl, name, { params: { token: community.member.token } });
    const register = connectClient(relay.wsUrl, registerDocName(community.id), { params: { token: community.member.token } });
    const draft = connectClient(relay.wsUrl, personalRetroDocName(community.id, community.member.member.id, 'r1'), { params: { token: community.member.token } });
    await waitSynced(meeting, register, draft);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('We pair on flaky tests.')]);
    meeting.doc.getXmlFragment(MEETING_NOTES_ROOT).insert(0, [paragraph]);
    addDecision(register.doc, {
      text: 'Adopt the quarantine lane', decidedBy: 'The group', date: '2026-12-03', createdBy: 'm:x',
      source: name, sourceTitle: 'Kick-off', agendaItem: null, agendaTitle: null,
    });
    writeDraft(draft.doc, 'd1', 'stop', 'a private draft');
    await fetch(`${relay.url}/api/communities/${community.id}/board`, { method: 'POST', headers: auth, body: '{}' });
    const board = connectClient(relay.wsUrl, boardDocNames(community.id).board, { params: { token: community.member.token } });
    const library = connectClient(relay.wsUrl, libraryDocNames(community.id).library, { params: { token: community.member.token } });
    await waitSynced(board, library);
    const mia = { author: community.member.member.id, authorName: 'Mia' };
    const card = addCard(board.doc, readLanes(board.doc)[0]!.id, { title: 'Pair on flaky tests', body: 'Two **people**, one cause.', tags: ['flaky'], ...mia });
    addComment(board.doc, { card, parent: null, body: 'Works for us', mentions: [], ...mia });
    addEntry(library.doc, { type: 'case-study', title: 'Payments quarantine', tags: ['ci'], owner: mia.author, ownerName: 'Mia', reviewBy: '2027-06-01', source: null, bodyMarkdown: 'Red builds fell from 40 % to 5 %.' });
    await waitFor(async () => (await relay.store.headSeq(registerDocName(community.id))) >= 1 && (await relay.store.headSeq(name)) >= 2
      && (await relay.store.headSeq(libraryDocNames(community.id).library)) >= 1 && (await relay.store.headSeq(boardDocNames(community.id).board)) >= 3);

    const response = await fetch(`${relay.url}/api/communities/${community.id}/export`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="guildhall-${community.id}-\\d{4}-\\d\\d-\\d\\d\\.zip"`));
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const paths = Object.keys(files);

    // The raw state reproduces the document exactly.
    const raw = new Y.Doc();
    Y.applyUpdate(raw, files[`yjs/${name}.yjs`]!);
    expect(Y.encodeStateAsUpdate(raw)).toEqual(Y.encodeStateAsUpdate(meeting.doc));
    expect(JSON.parse(strFromU8(files[`json/${name}.json`]!))).toMatchObject({ meta: { title: 'Kick-off' }, notes: { markdown: expect.stringContaining('We pair on flaky tests.') } });
    const minutes = paths.find((p) => p.startsWith('markdown/meetings/') && p.endsWith(`${name.split('.')[2]}.md`))!;
    expect(strFromU8(files[minutes]!)).toContain('- Adopt the quarantine lane — decided by The group, 2026-12-03');
    expect(strFromU8(files['markdown/decisions-and-actions.md']!)).toContain('Adopt the quarantine lane');
    expect(strFromU8(files['markdown/charter.md']!)).toContain('## Values and norms');
    expect(strFromU8(files['markdown/board.md']!)).toMatch(/## Best practices\n\n### Pair on flaky tests\n\nMia, \d{4}-\d\d-\d\d · #flaky\n\nTwo \*\*people\*\*, one cause\.\n\n- Mia: Works for us/);
    expect(strFromU8(files['markdown/library.md']!)).toContain('## Payments quarantine\n\nCase study · draft · owner Mia · review by 2027-06-01 · #ci\n\nRed builds fell from 40 % to 5 %.');
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { documents: string[] };
    expect(manifest.documents).toContain(name);
    // Nobody's personal document, and not its text anywhere.
    expect(paths.some((p) => p.includes('.personal.'))).toBe(false);
    expect(Object.values(files).some((bytes) => Buffer.from(bytes).includes(Buffer.from('a private draft')))).toBe(false);

    expect((await fetch(`${relay.url}/api/communities/${community.id}/export`)).status).toBe(401);
  });

  it('[X3] a Markdown file imports as a new meeting whose notes hold its content; too large a file gets 413', async () => {
    const relay = await startTestRelay();
    const markdown = ['## Decisions', '', 'We adopt the **quarantine lane**.', '', '- pairing', '- reviews', '', 'x'.repeat(30_000)].join('\n');
    const response = await fetch(`${relay.url}/api/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting', title: 'Imported', markdown }),
    });
    expect(response.status).toBe(201);
    const { name } = await response.json() as { name: string };
    const reader = connectClient(relay.wsUrl, name);
    await waitSynced(reader);
    const notes = reader.doc.getXmlFragment(MEETING_NOTES_ROOT);
    expect(fragmentToMarkdown(notes)).toBe(markdown);
    const tooLarge = await fetch(`${relay.url}/api/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting', markdown: 'y'.repeat(600 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: 'body too large (at most 512 KiB)' });
  });
});
