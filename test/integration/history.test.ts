import { fromBase64 } from 'lib0/buffer';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordVersion } from '../../server/documents/history.ts';
import { addCard, cardsOf, readLanes, toggleReaction } from '../../shared/board/model.ts';
import { documentMarkdown } from '../../shared/history/markdown.ts';
import { boardDocNames } from '../../shared/schema/board.ts';
import { endMeeting } from '../../shared/meeting/facilitation.ts';
import { MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { historyDocName, SEALS_ROOT, VERSIONS_ROOT, type SealRecord, type VersionRecord } from '../../shared/schema/history.ts';
import { controlDocName } from '../../shared/schema/meeting.ts';
import { connectClient, waitSynced, type TestClient } from '../helpers/clients.ts';
import { createCommunityWithRoles, type TestCommunity, type TestMember } from '../helpers/members.ts';
import { upgradeStatus } from '../helpers/rawClient.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

function api(relay: TestRelay, community: TestCommunity, who: TestMember | null, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${relay.url}/api/communities/${community.id}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function open(relay: TestRelay, name: string, who: TestMember): TestClient {
  return connectClient(relay.wsUrl, name, { params: { token: who.token } });
}

async function newMeeting(relay: TestRelay, community: TestCommunity): Promise<string> {
  const response = await api(relay, community, community.member, 'POST', '/documents', { kind: 'meeting', title: 'Guild sync' });
  return ((await response.json()) as { name: string }).name;
}

function writeLine(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const notes = doc.getXmlFragment(MEETING_NOTES_ROOT);
  notes.insert(notes.length, [paragraph]);
}

const versions = (history: Y.Doc): VersionRecord[] => [...history.getMap(VERSIONS_ROOT).values()] as VersionRecord[];

describe('version history: versions of every shared document, restored as new changes, sealed archives', () => {
  it('[H1] a named version keeps the document as it was; restoring it is a new change both members see, after a version of what it replaced', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const name = await newMeeting(relay, community);
    const mia = open(relay, name, community.member);
    const otto = open(relay, name, community.other);
    const history = open(relay, historyDocName(community.id), community.viewer);
    await waitSynced(mia, otto, history);
    writeLine(mia.doc, 'We pair on flaky tests.');
    await waitFor(async () => (await relay.store.headSeq(name)) >= 2 && mia.provider.synced);

    const saved = await api(relay, community, community.member, 'POST', '/history/versions', { doc: name, name: 'Before the review' });
    expect(saved.status).toBe(201);
    const version = await saved.json() as VersionRecord;
    expect(version).toMatchObject({ doc: name, kind: 'named', name: 'Before the review', by: 'Mia', title: 'Guild sync' });
    await waitFor(() => versions(history.doc).some((v) => v.id === version.id));

    writeLine(otto.doc, 'Otto rewrote everything.');
    await waitFor(() => mia.doc.getXmlFragment(MEETING_NOTES_ROOT).toString().includes('Otto rewrote'));
    // Reading the version: the document as it was, as Markdown.
    const read = await api(relay, community, community.viewer, 'GET', `/history/versions/${version.id}`);
    const { state } = await read.json() as { state: string };
    const old = new Y.Doc();
    Y.applyUpdate(old, fromBase64(state));
    expect(documentMarkdown(name, old)).toContain('We pair on flaky tests.');
    expect(documentMarkdown(name, old)).not.toContain('Otto rewrote');

    expect((await api(relay, community, community.viewer, 'POST', `/history/versions/${version.id}/restore`)).status).toBe(403);
    expect((await api(relay, community, community.member, 'POST', `/history/versions/${version.id}/restore`)).status).toBe(200);
    for (const client of [mia, otto]) {
      await waitFor(() => !client.doc.getXmlFragment(MEETING_NOTES_ROOT).toString().includes('Otto rewrote'), { message: 'the restore reached every member' });
      expect(client.doc.getXmlFragment(MEETING_NOTES_ROOT).toString()).toContain('We pair on flaky tests.');
    }
    // What the restore replaced is itself a version: a restore can be undone the same way.
    await waitFor(() => versions(history.doc).some((v) => v.kind === 'before-restore'));
    const before = versions(history.doc).find((v) => v.kind === 'before-restore')!;
    const replaced = new Y.Doc();
    Y.applyUpdate(replaced, fromBase64(((await (await api(relay, community, community.member, 'GET', `/history/versions/${before.id}`)).json()) as { state: string }).state));
    expect(documentMarkdown(name, replaced)).toContain('Otto rewrote everything.');

    // Nobody opens a version's copy directly; strangers and bad requests get clear answers.
    expect(await upgradeStatus(relay.url, `/sync/${community.id}.personal.server-version-${version.id}?token=${community.owner.token}`)).toBe(403);
    expect((await api(relay, community, null, 'GET', `/history/versions/${version.id}`)).status).toBe(401);
    expect((await api(relay, community, community.member, 'GET', '/history/versions/nosuchversion')).status).toBe(404);
    const bad = await api(relay, community, community.member, 'POST', '/history/versions', { doc: 'other.shared.x', name: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('not a document of this community');
    expect((await api(relay, community, community.member, 'POST', '/history/versions', { doc: name, name: '  ' })).status).toBe(400);
  });

  it('[H2] automatic versions: at the end of an editing session and when a meeting ends; none for a document unchanged since its last version', async () => {
    const relay = await startTestRelay({ idleUnloadMs: 100 });
    const community = await createCommunityWithRoles(relay);
    const name = await newMeeting(relay, community);
    const history = open(relay, historyDocName(community.id), community.viewer);
    const mia = open(relay, name, community.member);
    await waitSynced(mia, history);
    writeLine(mia.doc, 'Session one.');
    await waitFor(async () => (await relay.store.headSeq(name)) >= 2 && mia.provider.synced);
    mia.destroy();
    await waitFor(() => versions(history.doc).filter((v) => v.doc === name && v.kind === 'session').length === 1, { message: 'a session version' });

    // The facilitator ends the meeting: a version, once, however often the control is written.
    const again = open(relay, name, community.facilitator);
    const control = open(relay, controlDocName(name), community.facilitator);
    await waitSynced(again, control);
    writeLine(again.doc, 'Wrap-up.');
    endMeeting(again.doc, control.doc, Date.now());
    await waitFor(() => versions(history.doc).some((v) => v.doc === name && v.kind === 'meeting-ended'), { message: 'a meeting-ended version' });
    // An automatic version of a document unchanged since its last version is not made.
    await waitFor(async () => again.provider.synced && control.provider.synced);
    await recordVersion(relay.relay, name, 'session', 'Guildhall');
    expect(await recordVersion(relay.relay, name, 'session', 'Guildhall')).toBeNull();
    // A named version of an unchanged document is refused with a clear answer: history grows with work, not clicks.
    await expect(recordVersion(relay.relay, name, 'named', 'Mia', { name: 'Again' })).rejects.toThrow(/nothing changed since the version of/);
    const empty = await api(relay, community, community.member, 'POST', '/history/versions', { doc: `${community.id}.shared.nosuchdoc`, name: 'x' });
    expect(empty.status).toBe(404);
  });

  it('[H3] an archivist seals the community: a version of every shared document under one name; members may not', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const first = await newMeeting(relay, community);
    const second = await newMeeting(relay, community);
    await api(relay, community, community.member, 'POST', '/board');
    expect((await api(relay, community, community.member, 'POST', '/history/seals', { name: '2026 archive' })).status).toBe(403);
    const archivist = await relay.directory.updateMember(community.id, community.other.member.id, { stewardships: ['archivist'] });
    const sealed = await api(relay, community, { member: archivist, token: await community.tokenFor(archivist) }, 'POST', '/history/seals', { name: '2026 archive' });
    expect(sealed.status).toBe(201);
    const record = await sealed.json() as SealRecord;
    const history = open(relay, historyDocName(community.id), community.member);
    await waitSynced(history);
    const sealedDocs = versions(history.doc).filter((v) => record.versions.includes(v.id)).map((v) => v.doc);
    expect(sealedDocs).toEqual(expect.arrayContaining([first, second, `${community.id}.shared.board`]));
    expect(versions(history.doc).filter((v) => record.versions.includes(v.id)).every((v) => v.kind === 'sealed' && v.name === '2026 archive' && v.seal === record.id)).toBe(true);
    expect(history.doc.getMap(SEALS_ROOT).get(record.id)).toMatchObject({ name: '2026 archive', by: 'Otto' });
    // The history itself is the server's: a member's forged entry is dropped.
    history.doc.getMap(VERSIONS_ROOT).set('forged', { id: 'forged' });
    const reader = open(relay, historyDocName(community.id), community.viewer);
    await waitSynced(reader);
    expect(reader.doc.getMap(VERSIONS_ROOT).has('forged')).toBe(false);
  });

  it('[H5] board versions: what a moderator hid since is not in an old version either; only moderators restore the board, and the restored board stays as restored', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    await api(relay, community, community.member, 'POST', '/board');
    const names = boardDocNames(community.id);
    const mia = open(relay, names.board, community.member);
    await waitSynced(mia);
    const lane = readLanes(mia.doc)[0]!.id;
    const secret = 'our client Initech pays late';
    const card = addCard(mia.doc, lane, { title: 'Invoicing', body: secret, tags: [], author: community.member.member.id, authorName: 'Mia' });
    await waitFor(async () => (await relay.store.headSeq(names.board)) >= 2 && mia.provider.synced);
    const version = await (await api(relay, community, community.member, 'POST', '/history/versions', { doc: names.board, name: 'Before' })).json() as VersionRecord;
    expect((await api(relay, community, community.owner, 'POST', '/board/moderation', { kind: 'card', id: card, action: 'hide' })).status).toBe(200);
    const read = await (await api(relay, community, community.viewer, 'GET', `/history/versions/${version.id}`)).json() as { state: string };
    expect(Buffer.from(fromBase64(read.state)).includes(Buffer.from(secret))).toBe(false);

    // A card added after the version; restoring is a moderator's action on the board.
    const later = addCard(mia.doc, lane, { title: 'Added later', body: '', tags: [], author: community.member.member.id, authorName: 'Mia' });
    await waitFor(() => mia.provider.synced);
    expect((await api(relay, community, community.member, 'POST', `/history/versions/${version.id}/restore`)).status).toBe(403);
    expect((await api(relay, community, community.owner, 'POST', `/history/versions/${version.id}/restore`)).status).toBe(200);
    await waitFor(() => !cardsOf(mia.doc).has(later));
    // A member's next write is reviewed (a reaction in another's name is dropped, so the review
    // ran), and it neither brings the removed card back nor unhides the hidden one.
    await waitFor(() => cardsOf(mia.doc).has(card));
    toggleReaction(mia.doc, card, '👍', community.other.member.id);
    const reader = open(relay, names.board, community.viewer);
    await waitSynced(reader);
    await waitFor(() => {
      const reactions = cardsOf(reader.doc).get(card)?.get('reactions') as Y.Map<unknown> | undefined;
      return reactions !== undefined && reactions.size === 0 && cardsOf(reader.doc).get(card)!.get('body') === '';
    }, { message: 'the review after the restore ran' });
    expect(cardsOf(reader.doc).has(later)).toBe(false);
  });
});
