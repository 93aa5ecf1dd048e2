import { isIsoDate } from '../schema/register.ts';

/**
 * Keyboard-first capture while taking notes: a line typed as
 *
 *   /action Draft the onboarding guide @Grace Hopper due 2026-12-10
 *   /decision Adopt the quarantine lane for all teams
 *
 * becomes an action item (owner by @name, matched against the people given; `due` or `by` and
 * an ISO date) or a decision, when Enter is pressed.
 */
export type NotesCommand =
  | { kind: 'action'; text: string; owner: string | null; due: string | null }
  | { kind: 'decision'; text: string };

const COMMAND = /^\/(action|decision)\s+(.+)$/i;
const DUE = /\s+(?:due|by)\s+(\d{4}-\d{2}-\d{2})\s*$/i;

export function parseNotesCommand(line: string, people: readonly string[]): NotesCommand | null {
  const match = COMMAND.exec(line.trim());
  if (!match) return null;
  let rest = match[2]!.trim();
  if (match[1]!.toLowerCase() === 'decision') return { kind: 'decision', text: rest };
  let due: string | null = null;
  const dueMatch = DUE.exec(rest);
  if (dueMatch && isIsoDate(dueMatch[1])) {
    due = dueMatch[1]!;
    rest = rest.slice(0, dueMatch.index);
  }
  let owner: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const mention = rest.slice(at + 1).trim().toLowerCase();
    // The longest name the mention starts with, so "@Ada L" cannot pick "Ada" over "Ada Lovelace".
    // A name must end at a word boundary: "@Adam" is not "Ada".
    const byLength = [...people].sort((a, b) => b.length - a.length);
    const person = byLength.find((name) => {
      const n = name.toLowerCase();
      return mention === n || (mention.startsWith(n) && /\s/.test(mention.charAt(n.length)));
    });
    if (person) {
      owner = person;
      const after = rest.slice(at + 1 + person.length).trim();
      rest = `${rest.slice(0, at).trim()}${after ? ` ${after}` : ''}`;
    }
  }
  const text = rest.trim();
  return text ? { kind: 'action', text, owner, due } : null;
}
