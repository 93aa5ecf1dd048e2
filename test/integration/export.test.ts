import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentToMarkdown } from '../../shared/meeting/markdown.ts';
import { addDecision } from '../../shared/meeting/register.ts';
import { writeDraft } from '../../shared/retro/model.ts';
import { MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { registerDocName } from '../../shared/schema/register.ts';
import { personalRetroDocName } from '../../shared/schema/retro.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { createCommunityWithRoles } from '../helpers/members.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

describe('community export and Markdown import', () => {
  it('[X1] a member downloads the whole community: raw Yjs state, JSON and Markdown of every shared document, none of anyone\'s personal documents', async () => {
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
    await waitFor(async () => (await relay.store.headSeq(registerDocName(community.id))) >= 1 && (await relay.store.headSeq(name)) >= 2);

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
