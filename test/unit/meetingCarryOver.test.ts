import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../shared/docNames.ts';
import { addAgendaItem, agendaOf, readAgenda, updateAgendaItem } from '../../shared/meeting/agenda.ts';
import { addAction, updateAction, type NewAction } from '../../shared/meeting/register.ts';
import {
  carryOver, nextMeetingName, nextStart, openActionsOf, readMeetingMeta, seriesOf, setCadence,
} from '../../shared/meeting/series.ts';
import { META_ROOT, SCHEMA_VERSION } from '../../shared/schema/documents.ts';
import {
  agendaNotesField, CARRIED_ACTIONS_ROOT, isCadence, seriesMeetingName, type Cadence,
} from '../../shared/schema/meeting.ts';
import { copyOf, replica, replicas, syncAll } from './meetingReplicas.ts';

/**
 * [M2] Carrying a meeting of a series over to the next one. The next meeting's name follows from
 * the series, so members who carry at the same time (online or offline) write into one document;
 * each carried item and action is keyed by its source id, so it must appear exactly once however
 * many members carried it and however often.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST = 'home.shared.k3x9q2m7a1b4';
const SECOND = 'home.shared.k3x9q2m7a1b4-2';
const THIRD = 'home.shared.k3x9q2m7a1b4-3';
const OLDER = 'home.shared.olderone';
const UNRELATED = 'home.shared.unrelated';
const STARTS_AT = Date.UTC(2026, 0, 6, 15, 0);
const NOW = Date.UTC(2026, 0, 6, 16, 0);

function action(text: string, source: string, agendaItem: string | null = null): NewAction {
  return {
    text, source, sourceTitle: 'Platform sync', agendaItem, agendaTitle: agendaItem, ownerKey: null, ownerName: null,
    due: null, createdBy: 'Ada',
  };
}

/**
 * A first meeting, weekly, with two of four items done, notes on an undone item, and a register
 * holding one action of each kind carryOver must tell apart.
 */
function firstMeeting(): { previous: Y.Doc; register: Y.Doc } {
  const previous = replica(100);
  const meta = previous.getMap(META_ROOT);
  meta.set('kind', 'meeting');
  meta.set('title', 'Platform sync');
  meta.set('startsAt', STARTS_AT);
  setCadence(previous, FIRST, 'weekly');
  addAgendaItem(previous, { title: 'Welcome', timeboxMinutes: 5, presenter: '', status: 'done' }, 'welcome');
  addAgendaItem(previous, { title: 'Budget', timeboxMinutes: 15, presenter: 'Ada' }, 'budget');
  addAgendaItem(previous, { title: 'Roadmap', timeboxMinutes: 20, presenter: 'Grace', status: 'done' }, 'roadmap');
  addAgendaItem(previous, { title: 'Hiring', timeboxMinutes: 10, presenter: 'Linus' }, 'hiring');
  const notes = previous.getXmlFragment(agendaNotesField('budget'));
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('We ran out of time.')]);
  notes.insert(0, [paragraph]);

  const register = replica(200);
  addAction(register, action('Own open', FIRST), NOW, 'own-open');
  addAction(register, action('Own open, on an item', FIRST, 'budget'), NOW, 'own-open-item');
  addAction(register, action('Own done', FIRST), NOW, 'own-done');
  updateAction(register, 'own-done', { status: 'done' }, NOW);
  addAction(register, action('Own dropped', FIRST), NOW, 'own-dropped');
  updateAction(register, 'own-dropped', { status: 'dropped' }, NOW);
  addAction(register, action('Other meeting, open', UNRELATED), NOW, 'unrelated-open');
  addAction(register, action('Carried in, still open', OLDER), NOW, 'older-open');
  addAction(register, action('Carried in, since done', OLDER), NOW, 'older-done');
  updateAction(register, 'older-done', { status: 'done' }, NOW);
  previous.getMap(CARRIED_ACTIONS_ROOT).set('older-open', { from: OLDER });
  previous.getMap(CARRIED_ACTIONS_ROOT).set('older-done', { from: OLDER });
  return { previous, register };
}

const UNDONE_ITEMS = ['budget', 'hiring'];
const OPEN_ACTIONS = ['older-open', 'own-open', 'own-open-item'];

function carriedIds(meeting: Y.Doc): string[] {
  return [...meeting.getMap(CARRIED_ACTIONS_ROOT).keys()].sort();
}

describe('[M2] carryOver: what is carried', () => {
  it('[M2] copies exactly the undone agenda items, in order, under their own ids, marked carriedFrom', () => {
    const { previous, register } = firstMeeting();
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    const items = readAgenda(agendaOf(next));
    expect(items.map((i) => i.id)).toEqual(UNDONE_ITEMS);
    expect(items).toEqual([
      expect.objectContaining({ id: 'budget', title: 'Budget', timeboxMinutes: 15, presenter: 'Ada', status: 'upcoming', carriedFrom: FIRST }),
      expect.objectContaining({ id: 'hiring', title: 'Hiring', timeboxMinutes: 10, presenter: 'Linus', status: 'upcoming', carriedFrom: FIRST }),
    ]);
  });

  it('[M2] leaves the notes in the earlier meeting', () => {
    const { previous, register } = firstMeeting();
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    expect(next.getXmlFragment(agendaNotesField('budget')).length).toBe(0);
    expect(previous.getXmlFragment(agendaNotesField('budget')).toString()).toContain('We ran out of time.');
  });

  it('[M2] carries exactly the open actions recorded in, or carried into, the earlier meeting', () => {
    const { previous, register } = firstMeeting();
    expect(openActionsOf(FIRST, previous, register).sort()).toEqual(OPEN_ACTIONS);
    const registerBefore = Y.encodeStateAsUpdate(register);
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    expect(carriedIds(next)).toEqual(OPEN_ACTIONS);
    for (const id of OPEN_ACTIONS) expect(next.getMap(CARRIED_ACTIONS_ROOT).get(id)).toEqual({ from: FIRST });
    // Carrying references actions; it never copies or changes them in the register.
    expect(Y.encodeStateAsUpdate(register)).toEqual(registerBefore);
  });

  it('[M2] writes the next meeting\'s meta: occurrence + 1, previous, series, cadence, start one cadence later', () => {
    const { previous, register } = firstMeeting();
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    expect(next.getMap(META_ROOT).toJSON()).toEqual({
      kind: 'meeting', schemaVersion: SCHEMA_VERSION, title: 'Platform sync', createdAt: NOW,
      seriesId: 'k3x9q2m7a1b4', cadence: 'weekly', occurrence: 2, previous: FIRST, startsAt: STARTS_AT + 7 * DAY_MS,
    });
    expect(seriesOf(next.getMap(META_ROOT))).toEqual({
      seriesId: 'k3x9q2m7a1b4', cadence: 'weekly', occurrence: 2, startsAt: STARTS_AT + 7 * DAY_MS, previous: FIRST,
    });
  });

  it('[M2] without a planned start, the next one starts one cadence after now', () => {
    const { previous, register } = firstMeeting();
    previous.getMap(META_ROOT).delete('startsAt');
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    expect(next.getMap(META_ROOT).get('startsAt')).toBe(NOW + 7 * DAY_MS);
  });

  it('[M2] keeps what the next meeting holds already and appends carried items after it', () => {
    const { previous, register } = firstMeeting();
    const next = replica(1);
    next.getMap(META_ROOT).set('title', 'Renamed already');
    addAgendaItem(next, { title: 'Added early', timeboxMinutes: 0, presenter: '' }, 'early');
    carryOver(FIRST, previous, register, next, NOW);
    expect(readAgenda(agendaOf(next)).map((i) => i.id)).toEqual(['early', ...UNDONE_ITEMS]);
    expect(next.getMap(META_ROOT).get('title')).toBe('Renamed already');
  });

  it('[M2] refuses a meeting that is not part of a series', () => {
    const { previous, register } = firstMeeting();
    setCadence(previous, FIRST, null);
    expect(() => carryOver(FIRST, previous, register, replica(1), NOW)).toThrow('not part of a series');
  });

  it('[M2] along a chain: still-open actions carried into a meeting are carried on, from that meeting', () => {
    const { previous: first, register } = firstMeeting();
    const second = replica(2);
    carryOver(FIRST, first, register, second, NOW);
    updateAction(register, 'own-open', { status: 'done' }, NOW + 1);
    addAction(register, action('Recorded in the second', SECOND), NOW + 2, 'second-open');
    updateAgendaItem(second, 'budget', { status: 'done' });

    const third = replica(3);
    carryOver(SECOND, second, register, third, NOW + 3);
    expect(carriedIds(third)).toEqual(['older-open', 'own-open-item', 'second-open']);
    for (const id of carriedIds(third)) expect(third.getMap(CARRIED_ACTIONS_ROOT).get(id)).toEqual({ from: SECOND });
    expect(readAgenda(agendaOf(third))).toEqual([expect.objectContaining({ id: 'hiring', carriedFrom: SECOND })]);
    expect(readMeetingMeta(third.getMap(META_ROOT))).toMatchObject({ occurrence: 3, previous: SECOND, startsAt: STARTS_AT + 14 * DAY_MS });
    expect(nextMeetingName(SECOND, seriesOf(second.getMap(META_ROOT))!)).toBe(THIRD);
  });
});

describe('[M2] carryOver: exactly once', () => {
  it('[M2] running it twice writes nothing the second time', () => {
    const { previous, register } = firstMeeting();
    const next = replica(1);
    carryOver(FIRST, previous, register, next, NOW);
    const state = Y.encodeStateAsUpdate(next);
    carryOver(FIRST, previous, register, next, NOW + 60_000);
    expect(Y.encodeStateAsUpdate(next)).toEqual(state);
    expect(next.getMap(META_ROOT).get('createdAt')).toBe(NOW);
  });

  it('[M2] two members carrying offline at once, then merging: each item and action exactly once', () => {
    const { previous, register } = firstMeeting();
    const [nextA, nextB] = replicas(2);
    // Each member holds their own copy of the earlier meeting and the register.
    carryOver(FIRST, copyOf(previous, 11), copyOf(register, 12), nextA!, NOW);
    carryOver(FIRST, copyOf(previous, 21), copyOf(register, 22), nextB!, NOW + 5_000);
    syncAll([nextA!, nextB!]);
    for (const next of [nextA!, nextB!]) {
      expect(readAgenda(agendaOf(next)).map((i) => i.id)).toEqual(UNDONE_ITEMS);
      expect(carriedIds(next)).toEqual(OPEN_ACTIONS);
      expect(next.getMap(META_ROOT).get('occurrence')).toBe(2);
    }
    expect(nextA!.getMap(META_ROOT).toJSON()).toEqual(nextB!.getMap(META_ROOT).toJSON());
    expect(readAgenda(agendaOf(nextA!))).toEqual(readAgenda(agendaOf(nextB!)));
  });

  it('[M2] members whose next meeting already differed still merge to each carried item once', () => {
    const { previous, register } = firstMeeting();
    const [nextA, nextB, nextC] = replicas(3);
    // A added an item of its own before carrying, so A's and B's order keys differ.
    addAgendaItem(nextA!, { title: 'Added by A', timeboxMinutes: 0, presenter: '' }, 'by-a');
    carryOver(FIRST, previous, register, nextA!, NOW);
    carryOver(FIRST, previous, register, nextB!, NOW);
    syncAll([nextA!, nextB!]);
    // C comes online later, sees the merged meeting, and carries once more.
    Y.applyUpdate(nextC!, Y.encodeStateAsUpdate(nextA!));
    const merged = Y.encodeStateAsUpdate(nextC!);
    carryOver(FIRST, previous, register, nextC!, NOW + 1);
    expect(Y.encodeStateAsUpdate(nextC!)).toEqual(merged);
    for (const next of [nextA!, nextB!, nextC!]) {
      const ids = readAgenda(agendaOf(next)).map((i) => i.id);
      expect([...ids].sort()).toEqual(['budget', 'by-a', 'hiring']);
      expect(ids).toEqual(readAgenda(agendaOf(nextA!)).map((i) => i.id));
      expect(carriedIds(next)).toEqual(OPEN_ACTIONS);
    }
  });
});

describe('[M2] series meta and names', () => {
  it.each([
    ['weekly', '2026-01-06T15:00:00.000Z', '2026-01-13T15:00:00.000Z'],
    ['fortnightly', '2026-01-06T15:00:00.000Z', '2026-01-20T15:00:00.000Z'],
    ['monthly', '2026-01-15T18:30:00.000Z', '2026-02-15T18:30:00.000Z'],
    ['monthly', '2026-12-15T09:00:00.000Z', '2027-01-15T09:00:00.000Z'],
    ['monthly', '2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z'],
    ['monthly', '2028-01-31T09:00:00.000Z', '2028-02-29T09:00:00.000Z'],
    ['monthly', '2026-03-31T09:00:00.000Z', '2026-04-30T09:00:00.000Z'],
    ['monthly', '2026-08-31T23:45:00.000Z', '2026-09-30T23:45:00.000Z'],
    ['monthly', '2026-02-28T09:00:00.000Z', '2026-03-28T09:00:00.000Z'],
  ] as const)('[M2] nextStart %s: %s -> %s (time of day kept, month ends clamped)', (cadence, from, to) => {
    expect(new Date(nextStart(Date.parse(from), cadence)).toISOString()).toBe(to);
  });

  it('[M2] nextMeetingName and seriesMeetingName form valid document names in the same community', () => {
    const series = { seriesId: 'k3x9q2m7a1b4', cadence: 'weekly' as Cadence, occurrence: 1, startsAt: null, previous: null };
    expect(nextMeetingName(FIRST, series)).toBe(SECOND);
    expect(parseDocName(nextMeetingName(FIRST, series))).toEqual({ community: 'home', accessClass: 'shared', id: 'k3x9q2m7a1b4-2' });
    expect(parseDocName(nextMeetingName('guild-7.shared.abc', { ...series, seriesId: 'abc', occurrence: 99 })))
      .toEqual({ community: 'guild-7', accessClass: 'shared', id: 'abc-100' });
    expect(parseDocName(seriesMeetingName('home', 'k3x9q2m7a1b4', 10_000))?.id).toBe('k3x9q2m7a1b4-10000');
    expect(() => nextMeetingName('not a name', series)).toThrow(RangeError);
    expect(() => seriesMeetingName('Home', 'x', 2)).toThrow(RangeError);
  });

  it('[M2] setCadence makes a meeting the first of its series, then only changes or clears the cadence', () => {
    const doc = replica(1);
    setCadence(doc, FIRST, 'monthly');
    expect(seriesOf(doc.getMap(META_ROOT))).toEqual({ seriesId: 'k3x9q2m7a1b4', cadence: 'monthly', occurrence: 1, startsAt: null, previous: null });
    setCadence(doc, 'home.shared.another', 'weekly');
    expect(seriesOf(doc.getMap(META_ROOT))).toMatchObject({ seriesId: 'k3x9q2m7a1b4', cadence: 'weekly', occurrence: 1 });
    setCadence(doc, FIRST, null);
    expect(seriesOf(doc.getMap(META_ROOT))).toBeNull();
    expect(doc.getMap(META_ROOT).get('seriesId')).toBe('k3x9q2m7a1b4');
    const untouched = replica(2);
    setCadence(untouched, 'not a name', 'weekly');
    expect(untouched.getMap(META_ROOT).size).toBe(0);
  });

  it('[M2] readMeetingMeta drops malformed fields instead of passing them on', () => {
    const doc = replica(1);
    const meta = doc.getMap(META_ROOT);
    for (const [key, value] of Object.entries({ title: 4, startsAt: Number.NaN, seriesId: 5, cadence: 'daily', occurrence: 1.5, previous: null })) {
      meta.set(key, value);
    }
    expect(readMeetingMeta(meta)).toEqual({ title: '' });
    expect(seriesOf(meta)).toBeNull();
    meta.set('occurrence', 0);
    meta.set('startsAt', Infinity);
    expect(readMeetingMeta(meta)).toEqual({ title: '' });
    // A series meeting whose occurrence is unreadable counts as the first.
    meta.set('seriesId', 's1');
    meta.set('cadence', 'fortnightly');
    expect(seriesOf(meta)).toEqual({ seriesId: 's1', cadence: 'fortnightly', occurrence: 1, startsAt: null, previous: null });
  });

  it('[M2] isCadence accepts exactly the three cadences', () => {
    expect(['weekly', 'fortnightly', 'monthly'].every(isCadence)).toBe(true);
    expect([undefined, null, 'daily', 'Weekly', 7].some(isCadence)).toBe(false);
  });
});
