import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledge, castBallot, fragmentText, readVersions } from '../../shared/charter/model.ts';
import { ACKNOWLEDGEMENTS_ROOT, CHARTER_SECTIONS, charterDocNames, personalCharterDocName, sectionField, VERSIONS_ROOT } from '../../shared/schema/charter.ts';
import { connectClient, waitSynced, type TestClient } from '../helpers/clients.ts';
import { createCommunityWithRoles, type TestCommunity, type TestMember } from '../helpers/members.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

function api(relay: TestRelay, community: TestCommunity, who: TestMember, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${relay.url}/api/communities/${community.id}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` }, body: JSON.stringify(body),
  });
}

function open(relay: TestRelay, name: string, who: TestMember, doc?: Y.Doc): TestClient {
  return connectClient(relay.wsUrl, name, { params: { token: who.token }, ...(doc ? { doc } : {}) });
}

describe('the charter: written together, proposed as versions, endorsed from personal documents', () => {
  it('[CH1] the template is written once, on the server: members opening it at once see each section once, and version 1 is the template', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const names = charterDocNames(community.id);
    const [first, second] = await Promise.all([api(relay, community, community.member, '/charter'), api(relay, community, community.other, '/charter')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const a = open(relay, names.draft, community.member);
    const b = open(relay, names.draft, community.other);
    const record = open(relay, names.record, community.member);
    await waitSynced(a, b, record);
    for (const section of CHARTER_SECTIONS) {
      expect(fragmentText(a.doc.getXmlFragment(sectionField(section.id)))).toBe(section.hint);
    }
    expect(readVersions(record.doc).map((v) => [v.number, v.status])).toEqual([[1, 'template']]);
  });

  it('[CH2] a proposal freezes the text; each member\'s ballot counts from their own document (also one cast offline), forged ballots do not, and the server decides', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const names = charterDocNames(community.id);
    await api(relay, community, community.owner, '/charter');
    const draft = open(relay, names.draft, community.member);
    const record = open(relay, names.record, community.member);
    await waitSynced(draft, record);
    const goals = draft.doc.getXmlFragment(sectionField('goals'));
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Halve flaky test reruns by June')]);
    goals.insert(goals.length, [paragraph]);
    await waitFor(async () => (await relay.store.headSeq(names.draft)) > 0 && draft.provider.synced);

    const proposed = await api(relay, community, community.member, '/charter/proposals', { summary: 'A measurable goal' });
    expect(proposed.status).toBe(201);
    expect(await proposed.json()).toMatchObject({ number: 2 });
    await waitFor(() => readVersions(record.doc).some((v) => v.number === 2));
    const v2 = readVersions(record.doc).find((v) => v.number === 2)!;
    expect(v2.sections.find((s) => s.id === 'goals')!.text).toContain('Halve flaky test reruns by June');
    expect(v2).toMatchObject({ status: 'open', electorate: 4 }); // owner, facilitator and two members; viewers do not vote
    // A second proposal while one is open is refused.
    expect((await api(relay, community, community.owner, '/charter/proposals', { summary: 'Too soon' })).status).toBe(409);

    // A forged ballot in the record, written by a member's client, is dropped.
    record.doc.getMap(VERSIONS_ROOT).set('2', { ...v2, status: 'ratified' });
    // Four members endorse from their personal documents; one of them wrote it offline.
    const voters = [community.owner, community.facilitator, community.member];
    for (const voter of voters) castBallot(open(relay, personalCharterDocName(community.id, voter.member.id), voter).doc, 2, { choice: 'agree', reason: '' });
    const offline = new Y.Doc();
    castBallot(offline, 2, { choice: 'object', reason: 'June is too soon' });
    open(relay, personalCharterDocName(community.id, community.other.member.id), community.other, offline);
    const reader = open(relay, names.record, community.other);
    await waitSynced(reader);
    await waitFor(() => readVersions(reader.doc).find((v) => v.number === 2)?.status !== 'open', { message: 'round decided' });
    const decided = readVersions(reader.doc).find((v) => v.number === 2)!;
    expect(decided.status).toBe('ratified');
    expect(Object.fromEntries(Object.values(decided.ballots).map((b) => [b.name, b.choice]))).toEqual({
      Olga: 'agree', Fatima: 'agree', Mia: 'agree', Otto: 'object',
    });
    expect(Object.values(decided.ballots).find((b) => b.name === 'Otto')!.reason).toBe('June is too soon');
  });

  it('[CH3] a block stops ratification; a member may not propose with an empty summary; viewers may not propose', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    const names = charterDocNames(community.id);
    expect((await api(relay, community, community.member, '/charter/proposals', { summary: ' ' })).status).toBe(400);
    expect((await api(relay, community, community.viewer, '/charter/proposals', { summary: 'Mine' })).status).toBe(403);
    expect((await api(relay, community, community.member, '/charter/proposals', { summary: 'Values first' })).status).toBe(201);
    const voters = [community.owner, community.facilitator, community.member, community.other];
    const choices = ['agree', 'agree', 'agree', 'block'] as const;
    voters.forEach((voter, i) => castBallot(open(relay, personalCharterDocName(community.id, voter.member.id), voter).doc, 2,
      { choice: choices[i]!, reason: choices[i] === 'block' ? 'It drops our norm on blameless reviews' : '' }));
    const record = open(relay, names.record, community.member);
    await waitFor(() => readVersions(record.doc).find((v) => v.number === 2)?.status === 'blocked', { message: 'blocked' });
  });

  it('[CH9] a member\'s acknowledgement of the values and norms is recorded by the server, under their name', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    await api(relay, community, community.member, '/charter');
    const own = open(relay, personalCharterDocName(community.id, community.other.member.id), community.other);
    acknowledge(own.doc, 2);
    const record = open(relay, charterDocNames(community.id).record, community.owner);
    await waitFor(() => record.doc.getMap(ACKNOWLEDGEMENTS_ROOT).has(community.other.member.id), { message: 'acknowledgement recorded' });
    expect(record.doc.getMap(ACKNOWLEDGEMENTS_ROOT).get(community.other.member.id)).toMatchObject({ name: 'Otto', version: 2 });
  });

  it('[CH10] the Charter review retrospective asks one prompt per current goal and value', async () => {
    const relay = await startTestRelay();
    const community = await createCommunityWithRoles(relay);
    await api(relay, community, community.owner, '/charter');
    const draft = open(relay, charterDocNames(community.id).draft, community.member);
    await waitSynced(draft);
    // One transaction (one update, one stored row) per section, so the wait below is exact.
    const lines = (field: string, texts: string[]): void => draft.doc.transact(() => {
      const fragment = draft.doc.getXmlFragment(sectionField(field));
      fragment.delete(0, fragment.length);
      fragment.insert(0, texts.map((text) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        return paragraph;
      }));
    });
    lines('goals', ['Halve flaky reruns', 'Onboard in a week']);
    lines('values', ['Blameless reviews']);
    await waitFor(async () => (await relay.store.headSeq(charterDocNames(community.id).draft)) >= 3); // the seed, then both sections
    const response = await api(relay, community, community.facilitator, '/retros', { title: 'Charter check', template: 'charter-review', anonymity: 'named' });
    expect(response.status).toBe(201);
    const { prompts } = await response.json() as { prompts: Array<{ text: string }> };
    expect(prompts.map((p) => p.text)).toEqual(['Goal: Halve flaky reruns', 'Goal: Onboard in a week', 'Value: Blameless reviews']);
  });
});
