import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { indexDocName } from '../../shared/docNames.ts';
import { addAgendaItem } from '../../shared/meeting/agenda.ts';
import { addAction } from '../../shared/meeting/register.ts';
import { carryOver, nextMeetingName, seriesOf, setCadence } from '../../shared/meeting/series.ts';
import { INDEX_DOCUMENTS_ROOT, META_ROOT } from '../../shared/schema/documents.ts';
import { AGENDA_ROOT, CARRIED_ACTIONS_ROOT } from '../../shared/schema/meeting.ts';
import { registerDocName } from '../../shared/schema/register.ts';
import { TIME_PATH } from '../../shared/routes.ts';
import { connectClient, waitConverged, waitSynced } from '../helpers/clients.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { waitFor } from '../helpers/waitFor.ts';

const INDEX = indexDocName('home');

async function createMeeting(url: string, title: string): Promise<string> {
  const response = await fetch(`${url}/api/documents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting', title }),
  });
  return (await response.json() as { name: string }).name;
}

describe('meetings through the relay', () => {
  it('[M7] the next meeting of a series, written by two offline members into its derived name, is one meeting listed once in the index', async () => {
    const relay = await startTestRelay();
    const first = await createMeeting(relay.url, 'Guild call');
    const facilitator = connectClient(relay.wsUrl, first);
    const register = connectClient(relay.wsUrl, registerDocName('home'));
    const index = connectClient(relay.wsUrl, INDEX);
    await waitSynced(facilitator, register, index);
    setCadence(facilitator.doc, first, 'weekly');
    addAgendaItem(facilitator.doc, { title: 'Undiscussed', timeboxMinutes: 10, presenter: '' });
    addAction(register.doc, {
      text: 'Open action', ownerKey: null, ownerName: null, due: null, createdBy: 'n:fay',
      source: first, sourceTitle: 'Guild call', agendaItem: null, agendaTitle: null,
    });
    const series = seriesOf(facilitator.doc.getMap(META_ROOT))!;
    const nextName = nextMeetingName(first, series);

    // Two members create the next meeting on their devices, offline, then both connect.
    const replicas = [new Y.Doc(), new Y.Doc()];
    replicas.forEach((doc, i) => carryOver(first, facilitator.doc, register.doc, doc, 1_000 + i));
    const [a, b] = replicas.map((doc) => connectClient(relay.wsUrl, nextName, { doc }));
    await waitSynced(a!, b!);
    await waitConverged([a!.doc, b!.doc]);
    expect([...a!.doc.getMap(AGENDA_ROOT).keys()]).toHaveLength(1);
    expect([...a!.doc.getMap(CARRIED_ACTIONS_ROOT).keys()]).toHaveLength(1);

    // The index projection lists the client-made meeting, with its place in the series.
    await waitFor(() => index.doc.getMap(INDEX_DOCUMENTS_ROOT).has(nextName), { message: 'next meeting listed' });
    expect(index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(nextName)).toMatchObject({
      kind: 'meeting', title: 'Guild call', seriesId: series.seriesId, occurrence: 2,
    });
    await waitFor(() => (index.doc.getMap(INDEX_DOCUMENTS_ROOT).get(first) as { seriesId?: string }).seriesId === series.seriesId);
    expect([...index.doc.getMap(INDEX_DOCUMENTS_ROOT).keys()].sort()).toEqual([first, nextName].sort());
  });

  it('[M8] the relay tells its clock: GET /api/time answers its Date.now(), never cached', async () => {
    const relay = await startTestRelay();
    const before = Date.now();
    const response = await fetch(`${relay.url}${TIME_PATH}`);
    const after = Date.now();
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { now } = await response.json() as { now: number };
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});
