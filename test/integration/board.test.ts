import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, addComment, cardsOf, deleteCard, readBoard, readLanes, readModeration, toggleReaction } from '../../shared/board/model.ts';
import { addEntry, readEntries, readStatuses } from '../../shared/library/model.ts';
import { boardDocNames, MODERATION_ROOT } from '../../shared/schema/board.ts';
import { libraryDocNames, STATUSES_ROOT } from '../../shared/schema/library.ts';
import { connectClient, recordingSocket, waitSynced, type TestClient } from '../helpers/clients.ts';
import { createCommunityWithRoles, type TestCommunity, type TestMember } from '../helpers/members.ts';
import { upgradeStatus } from '../helpers/rawClient.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

function api(relay: TestRelay, community: TestCommunity, who: TestMember, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${relay.url}/api/communities/${community.id}${path}`, {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function open(relay: TestRelay, name: string, who: TestMember, received?: Buffer[]): TestClient {
  return connectClient(relay.wsUrl, name, { params: { token: who.token }, ...(received ? { WebSocketPolyfill: recordingSocket(received) } : {}) });
}

const SECRET = 'Salary bands of the Leeds office are 10% below';
const COMMENT = 'Same in Bristol, sadly';

async function boardWithCard(relay: TestRelay, community: TestCommunity) {
  expect((await api(relay, community, community.member, 'POST', '/board')).status).toBe(200);
  const names = boardDocNames(community.id);
  const mia = open(relay, names.board, community.member);
  await waitSynced(mia);
  const lane = readLanes(mia.doc)[0]!.id;
  const card = addCard(mia.doc, lane, { title: 'Pay transparency', body: SECRET, tags: ['pay'], author: community.member.member.id, authorName: 'Mia' });
  const comment = addComment(mia.doc, { card, parent: null, body: COMMENT, mentions: [], author: community.member.member.id, authorName: 'Mia' });
  await waitFor(async () => (await relay.store.headSeq(names.board)) >= 2 && mia.provider.synced);
  return { names, mia, card, comment };
}

const moderate = (relay: TestRelay, community: TestCommunity, who: TestMember, body: unknown): Promise<Response> =>
  api(relay, community, who, 'POST', '/board/moderation', body);

describe('the community board: moderation the server enforces, and the library status only curators set', () => {
  it('[B7] a hidden card\'s content leaves every member\'s device: later syncs carry none of it, only moderators can read it back, unhiding restores it', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const { names, card } = await boardWithCard(relay, community);

    expect((await moderate(relay, community, community.member, { kind: 'card', id: card, action: 'hide' })).status).toBe(403);
    const hidden = await moderate(relay, community, community.owner, { kind: 'card', id: card, action: 'hide' });
    expect(hidden.status).toBe(200);
    expect(await hidden.json()).toEqual({ hidden: true, locked: false });

    // A member who opens the board now receives none of the card's text, on any document.
    const received: Buffer[] = [];
    const otto = open(relay, names.board, community.other, received);
    const ottoModeration = open(relay, names.moderation, community.other, received);
    await waitSynced(otto, ottoModeration);
    expect(Buffer.concat(received).includes(Buffer.from(SECRET))).toBe(false);
    expect(Buffer.concat(received).includes(Buffer.from(COMMENT))).toBe(false); // its comments go with it
    const seen = readBoard(otto.doc, readModeration(ottoModeration.doc)).lanes[0]!.cards.find((c) => c.id === card)!;
    expect(seen).toMatchObject({ title: '', body: '', moderation: { hidden: true, by: 'Olga' } });

    // The hidden content is kept server-side: no member (not even an owner) may open that document.
    for (const who of [community.owner, community.member]) expect(await upgradeStatus(relay.url, `/sync/${names.hiddenContent}?token=${who.token}`)).toBe(403);
    expect((await api(relay, community, community.member, 'GET', `/board/hidden/card/${card}`)).status).toBe(403);
    const stashed = await api(relay, community, community.owner, 'GET', `/board/hidden/card/${card}`);
    expect(await stashed.json()).toMatchObject({ title: 'Pay transparency', body: SECRET, tags: ['pay'] });

    expect((await moderate(relay, community, community.owner, { kind: 'card', id: card, action: 'unhide' })).status).toBe(200);
    await waitFor(() => readBoard(otto.doc, readModeration(ottoModeration.doc)).lanes[0]!.cards.find((c) => c.id === card)?.body === SECRET);
    await waitFor(() => readBoard(otto.doc, readModeration(ottoModeration.doc)).comments.get(card)?.[0]?.body === COMMENT);
    expect((await api(relay, community, community.owner, 'GET', `/board/hidden/card/${card}`)).status).toBe(404);
  });

  it('[B8] a modified client cannot change moderated content: edits to a locked or hidden card are put back, a forged moderation record is dropped', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const { names, mia, card, comment } = await boardWithCard(relay, community);
    expect((await moderate(relay, community, community.owner, { kind: 'card', id: card, action: 'lock' })).status).toBe(200);
    expect((await moderate(relay, community, community.owner, { kind: 'comment', id: comment, action: 'hide' })).status).toBe(200);

    // Mia's modified client writes the locked card anyway, adds a comment to it and rewrites the hidden comment.
    cardsOf(mia.doc).get(card)!.set('title', 'Vandalised');
    addComment(mia.doc, { card, parent: null, body: 'Sneaked in', mentions: [], author: community.member.member.id, authorName: 'Mia' });
    (mia.doc.getMap('comments').get(comment) as Y.Map<unknown>).set('body', 'Rewritten');
    const otto = open(relay, names.board, community.other);
    await waitSynced(otto);
    await waitFor(() => {
      const entry = cardsOf(otto.doc).get(card);
      const comments = ([...otto.doc.getMap('comments').values()] as Array<Y.Map<unknown>>).filter((c) => c.get('deleted') !== true);
      return entry?.get('title') === 'Pay transparency' && comments.length === 1 && comments[0]!.get('body') === '';
    }, { message: 'the server put the moderated content back' });

    // A forged record in the server-written moderation document changes nothing.
    const forger = open(relay, names.moderation, community.member);
    await waitSynced(forger);
    forger.doc.getMap(MODERATION_ROOT).delete(`card:${card}`);
    const reader = open(relay, names.moderation, community.other);
    await waitSynced(reader);
    await waitFor(() => reader.doc.getMap(MODERATION_ROOT).size === 2);
    expect(readModeration(reader.doc).get(`card:${card}`)).toMatchObject({ locked: true, frozen: { title: 'Pay transparency' } });

    // Unlocking opens the card for edits again.
    expect((await moderate(relay, community, community.owner, { kind: 'card', id: card, action: 'unlock' })).status).toBe(200);
    cardsOf(mia.doc).get(card)!.set('title', 'Pay transparency (updated)');
    await waitFor(() => cardsOf(otto.doc).get(card)?.get('title') === 'Pay transparency (updated)');
    // Bad requests get a clear answer.
    expect((await moderate(relay, community, community.owner, { kind: 'card', id: 'nosuchcard', action: 'hide' })).status).toBe(404);
    const bad = await moderate(relay, community, community.owner, { kind: 'card', id: card, action: 'delete' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/action must be one of hide, unhide, lock, unlock/);
  });

  it('[B9] an entry\'s status is set by knowledge editors, librarians and owners through the server; a member\'s forged status is dropped', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const names = libraryDocNames(community.id);
    const mia = open(relay, names.library, community.member);
    await waitSynced(mia);
    const id = addEntry(mia.doc, { type: 'best-practice', title: 'Pairing on flaky tests', tags: [], owner: community.member.member.id, ownerName: 'Mia', reviewBy: null, source: null, bodyMarkdown: 'Pair on it.' });
    await waitFor(async () => (await relay.store.headSeq(names.library)) >= 1 && mia.provider.synced);

    expect((await api(relay, community, community.member, 'POST', `/library/${id}/status`, { status: 'verified' })).status).toBe(403);
    const librarian = await relay.directory.updateMember(community.id, community.other.member.id, { stewardships: ['librarian'] });
    const asLibrarian = { member: librarian, token: await community.tokenFor(librarian) };
    expect((await api(relay, community, asLibrarian, 'POST', `/library/${id}/status`, { status: 'verified' })).status).toBe(200);
    expect((await api(relay, community, asLibrarian, 'POST', '/library/nosuchentry/status', { status: 'verified' })).status).toBe(404);
    expect((await api(relay, community, asLibrarian, 'POST', `/library/${id}/status`, { status: 'gold' })).status).toBe(400);

    const statuses = open(relay, names.statuses, community.member);
    await waitSynced(statuses);
    statuses.doc.getMap(STATUSES_ROOT).set(id, { status: 'archived', by: 'Mia', at: 1 }); // dropped by the relay
    const reader = open(relay, names.statuses, community.viewer);
    await waitSynced(reader);
    expect(readEntries(mia.doc, readStatuses(reader.doc))[0]).toMatchObject({ status: 'verified' });
    expect(readStatuses(reader.doc).get(id)).toMatchObject({ status: 'verified', by: librarian.displayName });
  });

  it('[B10] authorship is the server\'s: another member\'s edits, deletions, signatures and reactions in someone\'s name are undone; an author\'s own deletion stands', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const { names, mia, card, comment } = await boardWithCard(relay, community);
    const otto = open(relay, names.board, community.other);
    await waitSynced(otto);
    const miaId = community.member.member.id;
    const ottoId = community.other.member.id;
    const cards = (client: TestClient) => cardsOf(client.doc);
    const comments = (client: TestClient) => client.doc.getMap('comments') as Y.Map<Y.Map<unknown>>;

    // Otto's modified client: edits Mia's card and comment, signs a comment as Mia, reacts in her name.
    cards(otto).get(card)!.set('title', 'Pay is fine, actually');
    comments(otto).get(comment)!.set('body', 'I take it back');
    const forged = addComment(otto.doc, { card, parent: null, body: 'Signed by someone else', mentions: [], author: miaId, authorName: 'Mia' });
    toggleReaction(otto.doc, card, '👍', miaId);
    toggleReaction(otto.doc, card, '👍', ottoId);
    const reader = open(relay, names.board, community.viewer);
    await waitSynced(reader);
    await waitFor(() => {
      const view = readBoard(reader.doc, new Map());
      const seen = view.lanes[0]!.cards.find((c) => c.id === card);
      const thread = view.comments.get(card) ?? [];
      return seen?.title === 'Pay transparency' && JSON.stringify(seen.reactions) === JSON.stringify({ '👍': [ottoId] })
        && thread.find((c) => c.id === comment)?.body === COMMENT
        && thread.find((c) => c.id === forged)?.author === ottoId && thread.find((c) => c.id === forged)?.authorName === 'Otto';
    }, { message: 'the server undid Otto\'s edits and named his comment after him' });

    // Removing or "deleting" her card is hers to do: Otto's attempts are undone, hers stands.
    const original = cards(reader).get(card)!._item!.id;
    cards(otto).delete(card);
    const putBack = (client: TestClient): boolean => {
      const id = cards(client).get(card)?._item?.id;
      return id !== undefined && !Y.compareIDs(id, original) && cards(client).get(card)!.get('body') === SECRET;
    };
    await waitFor(() => putBack(reader) && putBack(otto) && putBack(mia), { message: 'the server put the removed card back' });
    deleteCard(otto.doc, card);
    await waitFor(() => readBoard(reader.doc, new Map()).lanes[0]!.cards.some((c) => c.id === card && c.body === SECRET)
      && cards(reader).get(card)!.get('deleted') === undefined && !readBoard(otto.doc, new Map()).lanes[0]!.cards.every((c) => c.id !== card),
    { message: 'Otto\'s deletion was undone' });
    deleteCard(mia.doc, card);
    await waitFor(() => !readBoard(reader.doc, new Map()).lanes[0]!.cards.some((c) => c.id === card), { message: 'Mia deleted her card' });
    await waitFor(async () => (await relay.store.headSeq(names.board)) > 0 && mia.provider.synced && otto.provider.synced);
    expect(readBoard(otto.doc, new Map()).lanes[0]!.cards.some((c) => c.id === card)).toBe(false);
  });
});
