import { describe, expect, it } from 'vitest';
import { parseNotesCommand } from '../../shared/meeting/commands.ts';

/**
 * [M5] Keyboard-first capture in the notes: a line starting /action or /decision becomes a
 * register entry when Enter is pressed. Anything else must come back null, so the editor keeps
 * the line as ordinary text.
 */

const PEOPLE = ['Ada', 'Ada Lovelace', 'Grace Hopper', 'Linus'];

describe('[M5] /action', () => {
  it('[M5] takes the owner by @name and the due date, leaving the rest as the text', () => {
    expect(parseNotesCommand('/action Draft the onboarding guide @Grace Hopper due 2026-12-10', PEOPLE)).toEqual({
      kind: 'action', text: 'Draft the onboarding guide', owner: 'Grace Hopper', due: '2026-12-10',
    });
  });

  it('[M5] a plain action has no owner and no due date', () => {
    expect(parseNotesCommand('/action Book the room', PEOPLE)).toEqual({ kind: 'action', text: 'Book the room', owner: null, due: null });
  });

  it.each([
    ['the longer name when both match', '/action Review @Ada Lovelace', 'Ada Lovelace', 'Review'],
    ['the shorter name when only it matches', '/action Review @Ada', 'Ada', 'Review'],
    ['case-insensitively, spelled as the member spells it', '/action Review @ada LOVELACE', 'Ada Lovelace', 'Review'],
    ['a name with a space', '/action Ship it @grace hopper', 'Grace Hopper', 'Ship it'],
    ['an owner in mid-sentence, the words after it kept', '/action Send @Linus the slides', 'Linus', 'Send the slides'],
    ['the longer name mid-sentence', '/action Ask @Ada Lovelace about the budget', 'Ada Lovelace', 'Ask about the budget'],
  ])('[M5] matches the owner: %s', (_, line, owner, text) => {
    expect(parseNotesCommand(line, PEOPLE)).toEqual({ kind: 'action', text, owner, due: null });
  });

  it('[M5] the longest match wins whatever order the people are listed in', () => {
    for (const people of [['Ada', 'Ada Lovelace'], ['Ada Lovelace', 'Ada']]) {
      expect(parseNotesCommand('/action Review @Ada Lovelace', people)).toMatchObject({ owner: 'Ada Lovelace', text: 'Review' });
    }
  });

  it('[M5] an @mention of nobody known stays in the text, without an owner', () => {
    expect(parseNotesCommand('/action Ping @Zed about it', PEOPLE)).toEqual({ kind: 'action', text: 'Ping @Zed about it', owner: null, due: null });
    expect(parseNotesCommand('/action Ping @Ada', [])).toEqual({ kind: 'action', text: 'Ping @Ada', owner: null, due: null });
  });

  // Regression: a mention that merely started with a name ("@Adam" for "Ada") was taken as it,
  // leaving "Call m" as the text.
  it('[M5] a name only matches whole words: @Adam is not Ada', () => {
    expect(parseNotesCommand('/action Call @Adam', ['Ada'])).toEqual({ kind: 'action', text: 'Call @Adam', owner: null, due: null });
  });

  it.each([
    ['due', '/action Book the room due 2026-03-01', 'Book the room'],
    ['by', '/action Book the room by 2026-03-01', 'Book the room'],
    ['DUE in capitals', '/action Book the room DUE 2026-03-01', 'Book the room'],
    ['trailing spaces', '/action Book the room by 2026-03-01   ', 'Book the room'],
  ])('[M5] takes an ISO due date after %s', (_, line, text) => {
    expect(parseNotesCommand(line, PEOPLE)).toEqual({ kind: 'action', text, owner: null, due: '2026-03-01' });
  });

  it.each([
    ['an impossible month', '/action Plan due 2026-13-01', 'Plan due 2026-13-01'],
    ['an impossible day', '/action Plan due 2026-01-32', 'Plan due 2026-01-32'],
    ['an unpadded date', '/action Plan due 2026-3-1', 'Plan due 2026-3-1'],
    ['a non-ISO date', '/action Plan by 01/03/2026', 'Plan by 01/03/2026'],
    ['a date that is not at the end', '/action Plan due 2026-03-01 with Ada', 'Plan due 2026-03-01 with Ada'],
    ['"due" glued to a word', '/action Plan overdue 2026-03-01', 'Plan overdue 2026-03-01'],
  ])('[M5] leaves %s in the text, without a due date', (_, line, text) => {
    expect(parseNotesCommand(line, PEOPLE)).toEqual({ kind: 'action', text, owner: null, due: null });
  });

  // Regression: 2026-02-30 passed the date check (Date.parse rolls it over into March).
  it('[M5] leaves a day the month does not have in the text', () => {
    expect(parseNotesCommand('/action Plan due 2026-02-30', PEOPLE)).toEqual({ kind: 'action', text: 'Plan due 2026-02-30', owner: null, due: null });
  });

  it('[M5] owner and due date together, in either order of writing', () => {
    expect(parseNotesCommand('/action Plan the offsite @Linus by 2026-06-01', PEOPLE))
      .toEqual({ kind: 'action', text: 'Plan the offsite', owner: 'Linus', due: '2026-06-01' });
    expect(parseNotesCommand('/action Plan @Linus the offsite due 2026-06-01', PEOPLE))
      .toEqual({ kind: 'action', text: 'Plan the offsite', owner: 'Linus', due: '2026-06-01' });
  });

  it('[M5] an action with nothing left once owner and date are taken is not an action', () => {
    expect(parseNotesCommand('/action @Grace Hopper due 2026-12-10', PEOPLE)).toBeNull();
    expect(parseNotesCommand('/action @Linus', PEOPLE)).toBeNull();
  });
});

describe('[M5] /decision', () => {
  it('[M5] the whole rest of the line is the decision, @names and dates included', () => {
    expect(parseNotesCommand('/decision Adopt the quarantine lane for all teams', PEOPLE))
      .toEqual({ kind: 'decision', text: 'Adopt the quarantine lane for all teams' });
    expect(parseNotesCommand('/decision @Ada leads the rollout due 2026-12-10', PEOPLE))
      .toEqual({ kind: 'decision', text: '@Ada leads the rollout due 2026-12-10' });
  });

  it('[M5] commands are case-insensitive and surrounding spaces are ignored', () => {
    expect(parseNotesCommand('  /DECISION   Keep Thursdays  ', PEOPLE)).toEqual({ kind: 'decision', text: 'Keep Thursdays' });
    expect(parseNotesCommand('/Action Call @linus', PEOPLE)).toEqual({ kind: 'action', text: 'Call', owner: 'Linus', due: null });
  });
});

describe('[M5] not a command', () => {
  it.each([
    ['empty text', ''],
    ['only spaces', '   '],
    ['an ordinary line', 'We agreed to meet again'],
    ['a command word without the slash', 'action Book the room'],
    ['a slash command in mid-line', 'Then /action Book the room'],
    ['an unknown command', '/todo Book the room'],
    ['a command glued to its text', '/actionBook the room'],
    ['a longer command word', '/actions Book the room'],
    ['a bare /action', '/action'],
    ['a bare /decision with spaces', '/decision    '],
  ])('[M5] %s returns null', (_, line) => {
    expect(parseNotesCommand(line, PEOPLE)).toBeNull();
  });
});
