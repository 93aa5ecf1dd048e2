import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  actionsOf, addAction, addDecision, decisionsOf, isOverdue, readAction, readActions, readDecisions, removeDecision,
  updateAction, updateDecision, type NewAction, type NewDecision,
} from '../../shared/meeting/register.ts';
import { memberKey } from '../../shared/schema/meeting.ts';
import {
  ACTIONS_ROOT, DECISIONS_ROOT, isActionStatus, isIsoDate, MAX_ENTRY_TEXT_CHARS, registerDocName, type ActionItem,
} from '../../shared/schema/register.ts';
import { replicas, syncAll } from './meetingReplicas.ts';

/**
 * [M4] The community register (schema/register.ts): every action is a nested Y.Map, so members
 * changing different fields of one action offline both keep their change, and the same field
 * ends equal everywhere. The register is written by every member's client, so readers must
 * survive whatever a modified client put there.
 */

const MEETING = 'home.shared.k3x9q2m7a1b4';
const NOW = Date.UTC(2026, 0, 6, 16, 0);

const newAction = (text: string, extra: Partial<NewAction> = {}): NewAction => ({
  text, source: MEETING, sourceTitle: 'Platform sync', agendaItem: 'budget', agendaTitle: 'Budget',
  ownerKey: memberKey(null, 'Ada'), ownerName: 'Ada', due: '2026-02-01', createdBy: 'Grace', ...extra,
});

const newDecision = (text: string, extra: Partial<NewDecision> = {}): NewDecision => ({
  text, source: MEETING, sourceTitle: 'Platform sync', agendaItem: null, agendaTitle: null,
  decidedBy: 'the group', date: '2026-01-06', createdBy: 'Grace', ...extra,
});

function onlyAction(doc: Y.Doc): ActionItem {
  const actions = readActions(actionsOf(doc));
  expect(actions).toHaveLength(1);
  return actions[0]!;
}

describe('[M4] actions', () => {
  it('[M4] addAction writes an open action that reads back field for field', () => {
    const doc = new Y.Doc();
    const id = addAction(doc, newAction('Draft the onboarding guide'), NOW);
    expect(onlyAction(doc)).toEqual({
      id, text: 'Draft the onboarding guide', source: MEETING, sourceTitle: 'Platform sync', agendaItem: 'budget',
      agendaTitle: 'Budget', ownerKey: 'n:ada', ownerName: 'Ada', due: '2026-02-01', status: 'open',
      createdAt: NOW, createdBy: 'Grace', updatedAt: NOW,
    });
  });

  it('[M4] text longer than the limit is cut on write', () => {
    const doc = new Y.Doc();
    addAction(doc, newAction('x'.repeat(MAX_ENTRY_TEXT_CHARS + 50)), NOW);
    expect(onlyAction(doc).text).toHaveLength(MAX_ENTRY_TEXT_CHARS);
  });

  it('[M4] updateAction changes only the given fields and stamps updatedAt', () => {
    const doc = new Y.Doc();
    const id = addAction(doc, newAction('Book the room'), NOW);
    updateAction(doc, id, { status: 'done' }, NOW + 1);
    expect(onlyAction(doc)).toMatchObject({ text: 'Book the room', ownerName: 'Ada', due: '2026-02-01', status: 'done', createdAt: NOW, updatedAt: NOW + 1 });
    updateAction(doc, id, { due: null, ownerKey: null, ownerName: null }, NOW + 2);
    expect(onlyAction(doc)).toMatchObject({ due: null, ownerKey: null, ownerName: null, status: 'done' });
  });

  it('[M4] updating an unknown action writes nothing', () => {
    const doc = new Y.Doc();
    addAction(doc, newAction('Only one'), NOW);
    const vector = Y.encodeStateVector(doc);
    updateAction(doc, 'missing', { status: 'done' }, NOW);
    expect(Y.encodeStateVector(doc)).toEqual(vector);
  });

  it('[M4] two members change different fields of one action offline: both changes survive the merge', () => {
    const [a, b] = replicas(2);
    const id = addAction(a!, newAction('Write the charter'), NOW);
    syncAll([a!, b!]);
    updateAction(a!, id, { status: 'done' }, NOW + 10);
    updateAction(b!, id, { due: '2026-03-15', ownerKey: 'n:grace', ownerName: 'Grace' }, NOW + 20);
    syncAll([a!, b!]);
    for (const doc of [a!, b!]) {
      expect(onlyAction(doc)).toMatchObject({ text: 'Write the charter', status: 'done', due: '2026-03-15', ownerName: 'Grace', ownerKey: 'n:grace' });
    }
    expect(onlyAction(a!)).toEqual(onlyAction(b!));
  });

  it('[M4] two members change the same field offline: both replicas end with the same one value', () => {
    const [a, b, c] = replicas(3);
    const id = addAction(a!, newAction('Pick a date'), NOW);
    syncAll([a!, b!, c!]);
    updateAction(a!, id, { due: '2026-04-01', text: 'Pick a date (A)' }, NOW + 1);
    updateAction(b!, id, { due: '2026-05-01', text: 'Pick a date (B)' }, NOW + 2);
    syncAll([a!, b!, c!]);
    const merged = onlyAction(a!);
    expect(onlyAction(b!)).toEqual(merged);
    expect(onlyAction(c!)).toEqual(merged);
    expect(['2026-04-01', '2026-05-01']).toContain(merged.due);
    expect(['Pick a date (A)', 'Pick a date (B)']).toContain(merged.text);
  });

  it('[M4] actions added concurrently by two members are all kept', () => {
    const [a, b] = replicas(2);
    addAction(a!, newAction('From A'), NOW, 'from-a');
    addAction(b!, newAction('From B'), NOW, 'from-b');
    syncAll([a!, b!]);
    expect(readActions(actionsOf(a!)).map((x) => x.id)).toEqual(['from-a', 'from-b']);
    expect(readActions(actionsOf(b!)).map((x) => x.id)).toEqual(['from-a', 'from-b']);
  });

  it('[M4] actions read oldest first, ties broken by id', () => {
    const doc = new Y.Doc();
    addAction(doc, newAction('late'), NOW + 5, 'a-late');
    addAction(doc, newAction('tie z'), NOW, 'z');
    addAction(doc, newAction('tie b'), NOW, 'b');
    expect(readActions(actionsOf(doc)).map((x) => x.id)).toEqual(['b', 'z', 'a-late']);
  });
});

describe('[M4] readers skip malformed entries', () => {
  function raw(doc: Y.Doc, root: string, id: string, fields: Record<string, unknown>): void {
    const map = new Y.Map<unknown>();
    doc.getMap<unknown>(root).set(id, map);
    for (const [key, value] of Object.entries(fields)) map.set(key, value);
  }

  it('[M4] actions: non-map values and entries without text or source are skipped, never thrown on', () => {
    const doc = new Y.Doc();
    const good = addAction(doc, newAction('Good'), NOW);
    const entries = doc.getMap<unknown>(ACTIONS_ROOT);
    entries.set('a-string', 'do the thing');
    entries.set('a-number', 42);
    entries.set('a-null', null);
    entries.set('plain-object', { text: 'x', source: MEETING });
    entries.set('an-array', new Y.Array());
    raw(doc, ACTIONS_ROOT, 'no-text', { source: MEETING });
    raw(doc, ACTIONS_ROOT, 'numeric-text', { text: 5, source: MEETING });
    raw(doc, ACTIONS_ROOT, 'no-source', { text: 'orphan' });
    raw(doc, ACTIONS_ROOT, 'numeric-source', { text: 'orphan', source: 7 });
    expect(() => readActions(actionsOf(doc))).not.toThrow();
    expect(readActions(actionsOf(doc)).map((x) => x.id)).toEqual([good]);
    expect(readAction('x', undefined)).toBeNull();
  });

  it('[M4] actions: a bad status, due date or timestamp is defaulted, the action kept', () => {
    const doc = new Y.Doc();
    raw(doc, ACTIONS_ROOT, 'odd', {
      text: 'Odd', source: MEETING, status: 'blocked', due: '2026-13-01', createdAt: 'yesterday', updatedAt: Number.NaN,
      ownerKey: 3, ownerName: ['Ada'], sourceTitle: null, agendaItem: 9, createdBy: {},
    });
    raw(doc, ACTIONS_ROOT, 'due-number', { text: 'Due number', source: MEETING, due: 20260101, createdAt: 1 });
    raw(doc, ACTIONS_ROOT, 'due-format', { text: 'Due format', source: MEETING, due: '1/2/2026', createdAt: 2 });
    expect(readActions(actionsOf(doc))).toEqual([
      {
        id: 'odd', text: 'Odd', source: MEETING, sourceTitle: '', agendaItem: null, agendaTitle: null, ownerKey: null,
        ownerName: null, due: null, status: 'open', createdAt: 0, createdBy: '', updatedAt: 0,
      },
      expect.objectContaining({ id: 'due-number', due: null }),
      expect.objectContaining({ id: 'due-format', due: null }),
    ]);
  });

  it('[M4] decisions: malformed entries skipped, a bad date read as empty', () => {
    const doc = new Y.Doc();
    const good = addDecision(doc, newDecision('Adopt the quarantine lane'), NOW);
    doc.getMap<unknown>(DECISIONS_ROOT).set('a-string', 'decided');
    raw(doc, DECISIONS_ROOT, 'no-source', { text: 'x' });
    raw(doc, DECISIONS_ROOT, 'bad-date', { text: 'Bad date', source: MEETING, date: 'today', decidedBy: 5, createdAt: NOW + 1 });
    expect(readDecisions(decisionsOf(doc))).toEqual([
      {
        id: good, text: 'Adopt the quarantine lane', source: MEETING, sourceTitle: 'Platform sync', agendaItem: null,
        agendaTitle: null, decidedBy: 'the group', date: '2026-01-06', createdAt: NOW, createdBy: 'Grace',
      },
      expect.objectContaining({ id: 'bad-date', decidedBy: '', date: '' }),
    ]);
  });
});

describe('[M4] decisions', () => {
  it('[M4] update changes the given fields; remove deletes; unknown ids are ignored', () => {
    const doc = new Y.Doc();
    const id = addDecision(doc, newDecision('Meet fortnightly'), NOW);
    updateDecision(doc, id, { decidedBy: 'Ada and Grace' });
    updateDecision(doc, 'missing', { text: 'ghost' });
    expect(readDecisions(decisionsOf(doc))).toEqual([expect.objectContaining({ id, text: 'Meet fortnightly', decidedBy: 'Ada and Grace', date: '2026-01-06' })]);
    removeDecision(doc, id);
    removeDecision(doc, 'missing');
    expect(readDecisions(decisionsOf(doc))).toEqual([]);
  });

  it('[M4] two members editing different fields of one decision offline both keep their change', () => {
    const [a, b] = replicas(2);
    const id = addDecision(a!, newDecision('Use the new room'), NOW);
    syncAll([a!, b!]);
    updateDecision(a!, id, { text: 'Use the new room from March' });
    updateDecision(b!, id, { date: '2026-01-07' });
    syncAll([a!, b!]);
    for (const doc of [a!, b!]) {
      expect(readDecisions(decisionsOf(doc))).toEqual([expect.objectContaining({ text: 'Use the new room from March', date: '2026-01-07' })]);
    }
  });
});

describe('[M4] overdue actions', () => {
  const base: ActionItem = {
    id: 'x', text: 'x', source: MEETING, sourceTitle: '', agendaItem: null, agendaTitle: null, ownerKey: null,
    ownerName: null, due: '2026-01-10', status: 'open', createdAt: 0, createdBy: '', updatedAt: 0,
  };

  it.each([
    ['open, due yesterday', {}, '2026-01-11', true],
    ['open, due last year', { due: '2025-12-31' }, '2026-01-01', true],
    ['open, due today', {}, '2026-01-10', false],
    ['open, due tomorrow', {}, '2026-01-09', false],
    ['open, no due date', { due: null }, '2026-01-11', false],
    ['done, past due', { status: 'done' }, '2026-01-11', false],
    ['dropped, past due', { status: 'dropped' }, '2026-01-11', false],
  ] as const)('[M4] isOverdue: %s', (_, change, today, overdue) => {
    expect(isOverdue({ ...base, ...change }, today)).toBe(overdue);
  });
});

describe('[M4] register schema', () => {
  it('[M4] the register is one shared document per community', () => {
    expect(registerDocName('home')).toBe('home.shared.register');
    expect(() => registerDocName('Home')).toThrow(RangeError);
  });

  it('[M4] isActionStatus accepts exactly open, done and dropped', () => {
    expect(['open', 'done', 'dropped'].every(isActionStatus)).toBe(true);
    expect(['Open', 'closed', '', null, 1].some(isActionStatus)).toBe(false);
  });

  it.each(['2026-01-06', '2024-02-29', '2026-12-31'])('[M4] isIsoDate accepts %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });

  it.each(['2026-13-01', '2026-00-10', '2026-01-32', '2026-1-6', '06-01-2026', '2026-01-06T00:00', '', 20260106, null])(
    '[M4] isIsoDate rejects %j', (value) => {
      expect(isIsoDate(value)).toBe(false);
    },
  );

  // Regression: V8's Date.parse rolls an impossible day over (2026-02-30 is 2026-03-02)
  // instead of answering NaN, so such due dates were stored.
  it.each(['2026-02-30', '2026-02-31', '2025-02-29', '2026-04-31'])('[M4] isIsoDate rejects the impossible day %s', (date) => {
    expect(isIsoDate(date)).toBe(false);
  });

  it('[M4] memberKey: the member id when there is one, else the normalized display name', () => {
    expect(memberKey('abc123', 'Ada')).toBe('m:abc123');
    expect(memberKey(null, '  Ada Lovelace ')).toBe('n:ada lovelace');
    expect(memberKey(null, 'ADA')).toBe(memberKey(null, 'ada'));
  });
});
