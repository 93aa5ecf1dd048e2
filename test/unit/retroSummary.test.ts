import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptLate, discussedTopics, discussTopic, setPhase, topicsByVotes } from '../../shared/retro/facilitation.ts';
import { readRetroControl, retroControlOf, type Topic } from '../../shared/retro/model.ts';
import { readRetroSummary, retroSummaryMarkdown, topicLabel, undiscussedTopics, votesText } from '../../shared/retro/summary.ts';
import { META_ROOT } from '../../shared/schema/documents.ts';
import type { ActionItem } from '../../shared/schema/register.ts';
import {
  CARDS_ROOT, GROUPS_ROOT, PLACEMENT_ROOT, PROGRESS_ROOT, TALLY_ROOT, topicNotesField, type RevealedCard,
} from '../../shared/schema/retro.ts';
import { replica } from './meetingReplicas.ts';

/**
 * [RT10] The summary: one reading of board, control and results that the close view shows, the
 * Markdown export writes, and "carry undiscussed topics" copies into the next retro. Topics come
 * in discussion order (most dots first, ties as on the board); discussed means the facilitator
 * moved past it, or it was on screen when the retro closed.
 */

const BOARD_NAME = 'home.shared.r7k2m9q4x1b3';
const LONG = `${'a long thought about the on-call rota, '.repeat(3)}and then some`;

interface Retro { board: Y.Doc; control: Y.Doc; results: Y.Doc }

/** What the server would have written into the results document by close (readable ids here). */
function reveal(results: Y.Doc, cards: Record<string, Partial<RevealedCard> & { text: string }>): void {
  for (const [id, card] of Object.entries(cards)) results.getMap(CARDS_ROOT).set(id, { prompt: 'stop', author: null, late: false, ...card });
}

/** Notes as y-tiptap stores a Tiptap document: paragraphs of XmlText. */
function writeNotes(board: Y.Doc, topic: string, paragraphs: string[]): void {
  const fragment = board.getXmlFragment(topicNotesField(topic));
  for (const line of paragraphs) {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, line);
  }
}

function action(id: string, agendaItem: string | null, fields: Partial<ActionItem> = {}): ActionItem {
  return {
    id, text: `action ${id}`, ownerKey: null, ownerName: null, due: null, status: 'open', createdAt: 0, createdBy: 'facilitator', updatedAt: 0,
    source: BOARD_NAME, sourceTitle: 'Quarter retro', agendaItem, agendaTitle: null, ...fields,
  };
}

/**
 * A retro at close: a named group (c1, c2), single cards c3, c4, c5, a late card accepted (c7)
 * and one never accepted (c6). Votes: c4 5, the group 2, c3 2 (a tie the board order breaks:
 * the group's first card c1 sorts before c3, although the id "g1" sorts after it), c7 1, c5 0.
 * Discussed: c4 (moved past), the group (on screen at close).
 */
function closedRetro(): Retro {
  const board = replica(1);
  const control = replica(2);
  const results = replica(3);
  board.getMap(META_ROOT).set('title', 'Quarter retro');
  board.getMap(GROUPS_ROOT).set('g1', { name: '  Deploys ' });
  board.getMap(PLACEMENT_ROOT).set('c1', 'g1');
  board.getMap(PLACEMENT_ROOT).set('c2', 'g1');
  reveal(results, {
    c1: { text: 'Friday deploys', author: 'Mia' },
    c2: { text: 'deploys without a rollback' },
    c3: { text: 'pairing on Fridays', prompt: 'start' },
    c4: { text: 'keep the *demo* day', prompt: 'continue', author: 'Otto' },
    c5: { text: LONG },
    c6: { text: 'too late, never accepted', late: true },
    c7: { text: 'late but welcome', late: true },
  });
  acceptLate(control, 'c7');
  for (const [topic, dots] of Object.entries({ g1: 2, c3: 2, c4: 5, c7: 1 })) results.getMap(TALLY_ROOT).set(topic, dots);
  results.getMap(PROGRESS_ROOT).set('members', 4);
  results.getMap(PROGRESS_ROOT).set('voted', 3);
  setPhase(control, 'discuss');
  discussTopic(control, 'c4');
  discussTopic(control, 'g1');
  setPhase(control, 'close');
  writeNotes(board, 'g1', ['Roll back with one command.']);
  writeNotes(board, 'c4', ['Demo day stays on Thursdays.', 'Invite the other team.']);
  return { board, control, results };
}

const summaryOf = ({ board, control, results }: Retro) => readRetroSummary(board, control, results);

describe('[RT10] summary', () => {
  it('[RT10] topics come by votes, ties in board order; a late card never accepted is on no topic', () => {
    const summary = summaryOf(closedRetro());
    expect(summary.topics.map((t) => [t.id, t.votes])).toEqual([['c4', 5], ['g1', 2], ['c3', 2], ['c7', 1], ['c5', 0]]);
    expect(summary.topics.find((t) => t.id === 'g1')!.cards.map((c) => c.text)).toEqual(['Friday deploys', 'deploys without a rollback']);
    expect(summary.topics.flatMap((t) => t.cards).some((c) => c.text.startsWith('too late'))).toBe(false);
    expect(summary).toMatchObject({ title: 'Quarter retro', members: 4, voted: 3, carried: [] });
  });

  it('[RT10] topicsByVotes breaks ties by board order, not by topic id', () => {
    const groups = [{ id: 'a-group', name: '' }];
    const ordered = topicsByVotes(['x1', 'x2', 'y1'], groups, { y1: 'a-group' }, { x2: 1, 'a-group': 1 });
    expect(ordered.map((t) => t.id)).toEqual(['x2', 'a-group', 'x1']);
  });

  it('[RT10] discussTopic marks the topic before it discussed; the one on screen at close counts as discussed', () => {
    const retro = closedRetro();
    expect([...discussedTopics(retro.control)]).toEqual(['c4']);
    expect(readRetroControl(retroControlOf(retro.control)).currentTopic).toBe('g1');
    const summary = summaryOf(retro);
    expect(summary.topics.filter((t) => t.discussed).map((t) => t.id)).toEqual(['c4', 'g1']);

    // Showing the same topic again does not mark it; moving to none marks the last one.
    discussTopic(retro.control, 'g1');
    expect([...discussedTopics(retro.control)]).toEqual(['c4']);
    discussTopic(retro.control, null);
    expect([...discussedTopics(retro.control)].sort()).toEqual(['c4', 'g1']);
    expect(summaryOf(retro).topics.filter((t) => t.discussed).map((t) => t.id)).toEqual(['c4', 'g1']);
  });

  it('[RT10] undiscussedTopics lists the rest, in discussion order, with their card texts', () => {
    expect(undiscussedTopics(summaryOf(closedRetro()))).toEqual([
      { label: 'pairing on Fridays', cards: ['pairing on Fridays'] },
      { label: 'late but welcome', cards: ['late but welcome'] },
      { label: `${LONG.slice(0, 79)}…`, cards: [LONG] },
    ]);
  });

  it('[RT10] topicLabel: a group\'s trimmed name, else its first card\'s text, cut to 80 characters with an ellipsis', () => {
    const cards = new Map<string, RevealedCard>([
      ['c1', { prompt: 'stop', text: 'first', author: null, late: false }],
      ['c2', { prompt: 'stop', text: 'x'.repeat(80), author: null, late: false }],
      ['c3', { prompt: 'stop', text: 'x'.repeat(81), author: null, late: false }],
    ]);
    const topic = (name: string, ids: string[]): Topic => ({ id: 'g', name, cards: ids });
    expect(topicLabel(topic(' Deploys ', ['c1']), cards)).toBe('Deploys');
    expect(topicLabel(topic('   ', ['c1', 'c2']), cards)).toBe('first');
    expect(topicLabel(topic('', ['c2']), cards)).toBe('x'.repeat(80));
    expect(topicLabel(topic('', ['c3']), cards)).toBe(`${'x'.repeat(79)}…`);
    expect(topicLabel(topic('', ['missing']), cards)).toBe('');
  });

  it('[RT10] the Markdown export: headings with votes, cards with authors only when present, notes and the topic\'s action items', () => {
    const actions = [
      action('a1', 'g1', { text: 'Write the rollback script', ownerName: 'Ada', due: '2026-02-01' }),
      action('a2', 'g1', { text: 'Pin the deploy day', status: 'done' }),
      action('a3', 'c4', { text: 'Book the demo room', ownerName: 'Otto' }),
      action('a4', null, { text: 'Not from any topic' }),
      action('a5', 'gother', { text: 'From a topic of another retro' }),
    ];
    const retro = closedRetro();
    // The header counts every revealed card (cards.size), a late one never accepted included,
    // though no topic shows it; whether it should is undecided, so this golden leaves it out.
    retro.results.getMap(CARDS_ROOT).delete('c6');
    expect(retroSummaryMarkdown(summaryOf(retro), actions)).toBe([
      '# Quarter retro',
      '',
      '4 members · 6 cards · 3 voted',
      '',
      '## Topics',
      '',
      '### keep the \\*demo\\* day (5 votes)',
      '',
      '- keep the \\*demo\\* day — Otto',
      '',
      'Demo day stays on Thursdays.',
      '',
      'Invite the other team.',
      '',
      '- [ ] Book the demo room (owner: Otto)',
      '',
      '### Deploys (2 votes)',
      '',
      '- Friday deploys — Mia',
      '- deploys without a rollback',
      '',
      'Roll back with one command.',
      '',
      '- [ ] Write the rollback script (owner: Ada, due 2026-02-01)',
      '- [x] Pin the deploy day (owner: none)',
      '',
      '### pairing on Fridays (2 votes) — not discussed',
      '',
      '- pairing on Fridays',
      '',
      '### late but welcome (1 vote) — not discussed',
      '',
      '- late but welcome',
      '',
      `### ${LONG.slice(0, 79)}… (0 votes) — not discussed`,
      '',
      `- ${LONG}`,
      '',
    ].join('\n'));
  });

  it('[RT10] an anonymous summary names nobody; an empty title exports as "Retrospective"', () => {
    const retro = closedRetro();
    retro.board.getMap(META_ROOT).delete('title');
    for (const [id, card] of retro.results.getMap(CARDS_ROOT).entries()) retro.results.getMap(CARDS_ROOT).set(id, { ...(card as RevealedCard), author: null });
    const markdown = retroSummaryMarkdown(summaryOf(retro), []);
    expect(markdown.startsWith('# Retrospective\n')).toBe(true);
    expect(markdown).not.toMatch(/Mia|Otto| — (?!not discussed)/);
  });

  it('[RT10] before any vote is tallied every topic has 0 votes, in board order, and none is discussed', () => {
    const retro = closedRetro();
    retro.results.getMap(TALLY_ROOT).clear();
    retro.control.getMap('discussed').clear();
    retroControlOf(retro.control).set('currentTopic', null);
    const summary = summaryOf(retro);
    expect(summary.topics.map((t) => [t.id, t.votes, t.discussed])).toEqual([
      ['g1', 0, false], ['c3', 0, false], ['c4', 0, false], ['c5', 0, false], ['c7', 0, false],
    ]);
    expect(votesText(0)).toBe('0 votes');
    expect(votesText(1)).toBe('1 vote');
  });
});

describe('[RT10] the first topic, shown before any move', () => {
  // Regression: in discuss the top-voted topic is shown while the control has no current topic;
  // moving on from it did not mark it discussed, so it was carried into the next retro.
  it('[RT10] moving on from the topic shown by default marks it discussed', () => {
    const control = new Y.Doc();
    discussTopic(control, 'second', 'first');
    expect([...discussedTopics(control)]).toEqual(['first']);
  });
});
