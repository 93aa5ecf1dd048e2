import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { claimCard, groupCards, readRevealedCards, retroControlOf, setVotes, writeDraft } from '../../shared/retro/model.ts';
import { INDEX_DOCUMENTS_ROOT } from '../../shared/schema/documents.ts';
import { indexDocName } from '../../shared/docNames.ts';
import {
  CARDS_ROOT, personalRetroDocName, PROGRESS_ROOT, retroDocNames, SETTINGS_ROOT, TALLY_ROOT, type RetroPrompt, type RevealedCard,
} from '../../shared/schema/retro.ts';
import { connectClient, NodeWebSocket, recordingSocket, waitSynced, type TestClient } from '../helpers/clients.ts';
import { createCommunityWithRoles, type TestCommunity, type TestMember } from '../helpers/members.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

interface Retro { id: string; prompts: RetroPrompt[]; names: ReturnType<typeof retroDocNames> }

async function createRetro(relay: TestRelay, community: TestCommunity, by: TestMember, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${relay.url}/api/communities/${community.id}/retros`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${by.token}` },
    body: JSON.stringify(body),
  });
}

async function newRetro(relay: TestRelay, community: TestCommunity, anonymity: 'named' | 'anonymous'): Promise<Retro> {
  const response = await createRetro(relay, community, community.facilitator, { title: 'Quarter retro', template: 'start-stop-continue', anonymity });
  expect(response.status).toBe(201);
  const { name, prompts } = await response.json() as { name: string; prompts: RetroPrompt[] };
  const id = name.split('.')[2]!;
  return { id, prompts, names: retroDocNames(community.id, id) };
}

function open(relay: TestRelay, name: string, who: TestMember, received?: Buffer[]): TestClient {
  return connectClient(relay.wsUrl, name, {
    params: { token: who.token }, ...(received ? { WebSocketPolyfill: recordingSocket(received) } : { WebSocketPolyfill: NodeWebSocket }),
  });
}

function personal(relay: TestRelay, community: TestCommunity, retro: Retro, who: TestMember): TestClient {
  return open(relay, personalRetroDocName(community.id, who.member.id, retro.id), who);
}

function cardsOf(client: TestClient): RevealedCard[] {
  return [...readRevealedCards(client.doc).values()];
}

async function setPhase(facilitator: TestClient, phase: string): Promise<void> {
  retroControlOf(facilitator.doc).set('phase', phase);
}

describe('retrospectives: private until reveal, anonymous by choice, tallied by the server', () => {
  it('[RT1] before reveal no other member receives a card\'s text (no frame, no document), only counts; at reveal every member gets every card', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const retro = await newRetro(relay, community, 'anonymous');
    const received: Buffer[] = [];
    const otto = [retro.names.board, retro.names.results, retro.names.control].map((name) => open(relay, name, community.other, received));
    const ottoResults = otto[1]!;
    const control = open(relay, retro.names.control, community.facilitator);
    const mia = personal(relay, community, retro, community.member);
    await waitSynced(...otto, control, mia);
    await setPhase(control, 'reflect');

    const secret = 'the build server is held together with tape';
    writeDraft(mia.doc, 'draft1', 'stop', secret);
    writeDraft(mia.doc, 'draft2', 'start', 'pairing on Fridays');
    await waitFor(() => ottoResults.doc.getMap(PROGRESS_ROOT).get('cards') === 2, { message: 'card count projected' });
    expect(Buffer.concat(received).includes(Buffer.from(secret))).toBe(false);
    expect(JSON.stringify(otto.map((c) => c.doc.toJSON()))).not.toContain('tape');
    expect(ottoResults.doc.getMap(PROGRESS_ROOT).toJSON()).toMatchObject({ cards: 2, members: 4 }); // owner, facilitator, two members

    // (That Otto cannot open Mia's personal document at all is rule R24's matrix.)

    await setPhase(control, 'group');
    await waitFor(() => cardsOf(ottoResults).length === 2, { message: 'cards revealed' });
    expect(cardsOf(ottoResults).map((c) => c.text).sort()).toEqual(['pairing on Fridays', secret]);
  });

  it('[RT2] an anonymous card carries no author anywhere in the retro\'s documents; a named retro shows names; a claim names only its own author', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    for (const anonymity of ['anonymous', 'named'] as const) {
      const retro = await newRetro(relay, community, anonymity);
      const control = open(relay, retro.names.control, community.facilitator);
      const mia = personal(relay, community, retro, community.member);
      const otto = personal(relay, community, retro, community.other);
      const board = open(relay, retro.names.board, community.other);
      const results = open(relay, retro.names.results, community.other);
      await waitSynced(control, mia, otto, board, results);
      await setPhase(control, 'reflect');
      writeDraft(mia.doc, 'mine', 'continue', 'keep the demo day');
      writeDraft(otto.doc, 'ottos', 'start', 'write release notes together');
      await waitFor(() => results.doc.getMap(PROGRESS_ROOT).get('cards') === 2);
      await setPhase(control, 'group');
      await waitFor(() => cardsOf(results).length === 2);
      const everything = Buffer.concat([Y.encodeStateAsUpdate(results.doc), Y.encodeStateAsUpdate(board.doc), Y.encodeStateAsUpdate(control.doc)]);
      const authorTraces = ['Mia', community.member.member.id, 'Otto', community.other.member.id].filter((t) => everything.includes(Buffer.from(t)));
      if (anonymity === 'anonymous') {
        expect(authorTraces).toEqual([]);
        expect(cardsOf(results).every((c) => c.author === null)).toBe(true);
        // Otto claims Mia's draft id (a modified client): nothing changes. Mia claims hers: her name appears.
        claimCard(otto.doc, 'mine');
        claimCard(mia.doc, 'mine');
        await waitFor(() => cardsOf(results).some((c) => c.author === 'Mia'), { message: 'claim projected' });
        expect(cardsOf(results).find((c) => c.text === 'keep the demo day')!.author).toBe('Mia');
        expect(cardsOf(results).find((c) => c.text === 'write release notes together')!.author).toBeNull();
      } else {
        expect(Object.fromEntries(cardsOf(results).map((c) => [c.text, c.author]))).toEqual({ 'keep the demo day': 'Mia', 'write release notes together': 'Otto' });
      }
    }
  });

  it('[RT3] a card that syncs after the reveal lands as late; the results are never written by a member', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const retro = await newRetro(relay, community, 'anonymous');
    const control = open(relay, retro.names.control, community.facilitator);
    const results = open(relay, retro.names.results, community.member);
    await waitSynced(control, results);
    await setPhase(control, 'reflect');
    await setPhase(control, 'group');
    await waitFor(() => results.doc.getMap('state').get('revealed') === true, { message: 'revealed' });

    // Mia wrote offline during reflect; her device syncs now.
    const offline = new Y.Doc();
    writeDraft(offline, 'train', 'stop', 'stop the Friday deploys');
    const mia = open(relay, personalRetroDocName(community.id, community.member.member.id, retro.id), community.member);
    Y.applyUpdate(mia.doc, Y.encodeStateAsUpdate(offline));
    await waitFor(() => cardsOf(results).length === 1, { message: 'late card projected' });
    expect(cardsOf(results)[0]).toMatchObject({ text: 'stop the Friday deploys', late: true, author: null });

    // A member's client that writes the results document directly is ignored.
    results.doc.getMap(CARDS_ROOT).set('forged', { prompt: 'stop', text: 'forged', author: 'Otto', late: false });
    const reader = open(relay, retro.names.results, community.other);
    await waitSynced(reader);
    await waitFor(() => cardsOf(reader).length === 1);
    expect(reader.doc.getMap(CARDS_ROOT).has('forged')).toBe(false);
  });

  it('[RT4] members cannot change the phase (even with a modified client); the tally ignores over-budget ballots', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const retro = await newRetro(relay, community, 'anonymous');
    const control = open(relay, retro.names.control, community.facilitator);
    const miaControl = open(relay, retro.names.control, community.member);
    const board = open(relay, retro.names.board, community.member);
    const results = open(relay, retro.names.results, community.member);
    const voters = [community.member, community.other, community.owner].map((who) => personal(relay, community, retro, who));
    await waitSynced(control, miaControl, board, results, ...voters);

    await setPhase(control, 'reflect');
    await waitFor(() => retroControlOf(miaControl.doc).get('phase') === 'reflect');
    // Mia's client writes the phase: the relay drops it, so nobody (not even a reload of Mia's) sees it.
    retroControlOf(miaControl.doc).set('phase', 'close');
    // A later facilitator write proves Mia's frame was processed (and dropped) by then.
    retroControlOf(control.doc).set('budget', { total: 4, perTopic: 2 });
    writeDraft(voters[0]!.doc, 'a', 'start', 'card A');
    writeDraft(voters[1]!.doc, 'b', 'stop', 'card B');
    writeDraft(voters[2]!.doc, 'c', 'continue', 'card C');
    await waitFor(() => results.doc.getMap(PROGRESS_ROOT).get('cards') === 3);
    const fresh = open(relay, retro.names.control, community.other);
    await waitSynced(fresh);
    await waitFor(() => (retroControlOf(fresh.doc).get('budget') as { total?: number } | undefined)?.total === 4);
    expect(retroControlOf(fresh.doc).get('phase')).toBe('reflect');

    await setPhase(control, 'group');
    await waitFor(() => cardsOf(results).length === 3);
    const ids = Object.fromEntries([...readRevealedCards(results.doc)].map(([id, card]) => [card.text, id]));
    groupCards(board.doc, ids['card A']!, ids['card B']!); // A and B form one topic
    await setPhase(control, 'vote');
    await waitFor(() => board.doc.getMap('placement').size === 2);
    const groupOfAB = board.doc.getMap<string>('placement').get(ids['card A']!)!;
    // Budget: 4 dots, at most 2 on one topic.
    setVotes(voters[0]!.doc, groupOfAB, 2);
    setVotes(voters[0]!.doc, ids['card C']!, 1);
    setVotes(voters[1]!.doc, ids['card C']!, 2);
    setVotes(voters[2]!.doc, groupOfAB, 3); // over the per-topic budget: ignored whole
    setVotes(voters[2]!.doc, ids['card C']!, 1);
    await waitFor(() => results.doc.getMap(PROGRESS_ROOT).get('voted') === 3);
    await setPhase(control, 'discuss');
    await waitFor(() => results.doc.getMap('state').get('tallied') === true, { message: 'tallied' });
    expect(results.doc.getMap(TALLY_ROOT).toJSON()).toEqual({ [groupOfAB]: 2, [ids['card C']!]: 3 });
  });

  it('[RT5] only owners and facilitators start retrospectives; prompts are written once, on the server; bad input gets a clear 400', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const denied = await createRetro(relay, community, community.member, { title: 'Mine', template: 'mad-sad-glad', anonymity: 'named' });
    expect(denied.status).toBe(403);
    const custom = await createRetro(relay, community, community.owner, { title: 'Custom', template: 'custom', anonymity: 'named' });
    expect(custom.status).toBe(400);
    expect(await custom.json()).toEqual({ error: expect.stringContaining('at least one prompt') });
    const made = await createRetro(relay, community, community.owner, { title: 'Custom', template: 'custom', anonymity: 'named', prompts: ['What surprised you?'] });
    expect(made.status).toBe(201);
    const { name } = await made.json() as { name: string };
    const results = retroDocNames(community.id, name.split('.')[2]!).results;
    const [a, b] = [open(relay, results, community.member), open(relay, results, community.other)];
    const index = open(relay, indexDocName(community.id), community.member);
    await waitSynced(a, b, index);
    expect(a.doc.getMap(SETTINGS_ROOT).get('prompts')).toEqual([{ id: expect.any(String), text: 'What surprised you?' }]);
    expect(b.doc.getMap(SETTINGS_ROOT).toJSON()).toEqual(a.doc.getMap(SETTINGS_ROOT).toJSON());
    expect(index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(name)).toMatchObject({ kind: 'retro', title: 'Custom' });
  });

  it('[RT11] undiscussed topics carried into the next retro are cards on its board, not only a list', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const retro = await newRetro(relay, community, 'anonymous');
    const control = open(relay, retro.names.control, community.facilitator);
    const mia = personal(relay, community, retro, community.member);
    const results = open(relay, retro.names.results, community.member);
    await waitSynced(control, mia, results);
    await setPhase(control, 'reflect');
    writeDraft(mia.doc, 'a', 'start', 'discussed one');
    writeDraft(mia.doc, 'b', 'stop', 'never reached');
    await waitFor(() => results.doc.getMap(PROGRESS_ROOT).get('cards') === 2);
    await setPhase(control, 'group');
    await waitFor(() => cardsOf(results).length === 2);
    const discussed = [...readRevealedCards(results.doc)].find(([, c]) => c.text === 'discussed one')![0];
    retroControlOf(control.doc).set('currentTopic', discussed);
    retroControlOf(control.doc).set('phase', 'close');
    await waitFor(async () => (await relay.store.headSeq(retro.names.control)) >= 4);

    const next = await createRetro(relay, community, community.facilitator, {
      title: 'Follow-up', template: 'start-stop-continue', anonymity: 'anonymous', carryFrom: retro.names.board,
    });
    expect(next.status).toBe(201);
    const { name } = await next.json() as { name: string };
    const nextResults = open(relay, retroDocNames(community.id, name.split('.')[2]!).results, community.member);
    await waitSynced(nextResults);
    expect(cardsOf(nextResults)).toEqual([{ prompt: 'carried', text: 'never reached', author: null, late: false }]);
    const elsewhere = await createRetro(relay, community, community.facilitator, {
      title: 'Bad', template: 'start-stop-continue', anonymity: 'anonymous', carryFrom: 'othercommunity.shared.abc',
    });
    expect(elsewhere.status).toBe(400);
  });
});
