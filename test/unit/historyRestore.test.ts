import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, addComment, addLane, cardsOf, deleteCard, editCard, readBoard, toggleReaction } from '../../shared/board/model.ts';
import { documentMarkdown } from '../../shared/history/markdown.ts';
import { restoreRoots } from '../../shared/history/restore.ts';
import { markdownSections } from '../../shared/history/sections.ts';
import { addEntry, readEntries, updateEntry } from '../../shared/library/model.ts';
import { addAgendaItem, readAgenda, agendaOf, removeAgendaItem } from '../../shared/meeting/agenda.ts';
import { markdownToNodes } from '../../shared/meeting/markdownImport.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import { entryBodyField } from '../../shared/schema/library.ts';
import { agendaNotesField } from '../../shared/schema/meeting.ts';

/** A version as the server keeps it: a copy of the document's state at that moment. */
function snapshot(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Two members' replicas of one document, kept in sync. */
function replicas(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== 'sync') Y.applyUpdate(b, u, 'sync'); });
  b.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== 'sync') Y.applyUpdate(a, u, 'sync'); });
  return [a, b];
}

const write = (doc: Y.Doc, field: string, markdown: string): void => {
  const fragment = doc.getXmlFragment(field);
  fragment.delete(0, fragment.length);
  fragment.insert(0, markdownToNodes(markdown));
};

describe('[H4] restoring a version: the live document takes the version\'s content as one new change', () => {
  it('[H4] a meeting: title, agenda items (removed and added since) and their notes come back; every replica follows', () => {
    const [live, other] = replicas();
    live.getMap(META_ROOT).set('kind', 'meeting');
    live.getMap(META_ROOT).set('title', 'Guild sync');
    const flaky = addAgendaItem(live, { title: 'Flaky tests', timeboxMinutes: 10, presenter: '' });
    write(live, agendaNotesField(flaky), 'We **quarantine** within a day.');
    const version = snapshot(live);

    other.getMap(META_ROOT).set('title', 'Renamed');
    removeAgendaItem(other, flaky);
    addAgendaItem(other, { title: 'Pairing', timeboxMinutes: 5, presenter: '' });
    write(other, agendaNotesField(flaky), 'Gone.');
    let updates = 0;
    live.on('update', () => { updates++; });
    restoreRoots(live, version);
    expect(updates).toBe(1); // one change
    for (const doc of [live, other]) {
      expect(doc.getMap(META_ROOT).get('title')).toBe('Guild sync');
      expect(readAgenda(agendaOf(doc)).map((i) => i.title)).toEqual(['Flaky tests']);
      expect(documentMarkdown('c1.shared.m1', doc)).toContain('We **quarantine** within a day.');
    }
    // Restoring what is already there changes nothing.
    updates = 0;
    restoreRoots(live, snapshot(live));
    expect(updates).toBe(0);
  });

  it('[H4] the board: nested maps (cards, reactions) come back whole, a card added since goes, and the restored board reads like the version', () => {
    const [live, other] = replicas();
    const lane = addLane(live, 'Best practices', 'best');
    const card = addCard(live, lane, { title: 'Pair on flakes', body: 'Two people.', tags: ['pairing'], author: 'mia', authorName: 'Mia' });
    toggleReaction(live, card, '👍', 'otto');
    addComment(live, { card, parent: null, body: 'Works for us', mentions: [], author: 'otto', authorName: 'Otto' });
    const version = snapshot(live);
    const before = JSON.stringify([...readBoard(version, new Map()).lanes]);

    editCard(other, card, { title: 'Changed', tags: [] });
    toggleReaction(other, card, '👍', 'otto');
    addCard(other, lane, { title: 'Added later', body: '', tags: [], author: 'otto', authorName: 'Otto' });
    deleteCard(other, card);
    restoreRoots(live, version);
    for (const doc of [live, other]) {
      expect(JSON.stringify([...readBoard(doc, new Map()).lanes])).toBe(before);
      expect(cardsOf(doc).get(card)!.get('reactions')).toBeInstanceOf(Y.Map); // a copy, not the version's own type
    }
    // The restored types belong to the live document: editing them later works on every replica.
    toggleReaction(other, card, '💡', 'mia');
    expect(readBoard(live, new Map()).lanes[0]!.cards[0]!.reactions['💡']).toEqual(['mia']);
  });

  it('[H4] the library: an entry\'s fields and co-edited body come back; the version document itself is not changed', () => {
    const live = new Y.Doc();
    const id = addEntry(live, { type: 'case-study', title: 'Payments quarantine', tags: ['ci'], owner: 'mia', ownerName: 'Mia', reviewBy: null, source: null, bodyMarkdown: 'Red builds fell.' });
    const version = snapshot(live);
    const versionState = Y.encodeStateAsUpdate(version);
    updateEntry(live, id, { title: 'Renamed', tags: [] });
    write(live, entryBodyField(id), 'Rewritten entirely.');
    restoreRoots(live, version);
    expect(readEntries(live, new Map())[0]).toMatchObject({ title: 'Payments quarantine', tags: ['ci'] });
    expect(documentMarkdown('c1.shared.library', live)).toContain('Red builds fell.');
    expect(documentMarkdown('c1.shared.library', live)).not.toContain('Rewritten');
    expect(Y.encodeStateAsUpdate(version)).toEqual(versionState);
  });

  it('[H4] comparing versions section by section: headings cut the Markdown, repeated headings are told apart', () => {
    const sections = markdownSections('intro\n\n## Notes\n\nfirst\n\n## Notes\n\nsecond\n\n### Done\n');
    expect(sections.map((s) => [s.id, s.text])).toEqual([['(start)', 'intro'], ['Notes', 'first'], ['Notes (2)', 'second'], ['Done', '']]);
    expect(markdownSections('')).toEqual([]);
  });
});
