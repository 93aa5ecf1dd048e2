import { generateNKeysBetween } from 'fractional-indexing';

/**
 * Ordering of a list whose entries are Y.Map values keyed by id, each holding a fractional order
 * key (https://observablehq.com/@dgreensp/implementing-fractional-indexing). Moving an entry
 * rewrites its key only, so concurrent moves converge: each entry has one key (last writer
 * wins), no entry can be duplicated or lost, and every member sorts by (key, id) alike.
 *
 * Two members inserting into the same gap at once may pick the same key; the id breaks the tie,
 * and the next move into that spot re-keys the run of equal keys.
 */
/** The key under which keysForMove answers a new entry's order. */
export const NEW_ENTRY = '';

export interface Ordered {
  id: string;
  order: string;
}

export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortOrdered<T extends Ordered>(items: readonly T[]): T[] {
  return [...items].sort(compareOrdered);
}

/**
 * New keys that place `movingId` at `toIndex` of the list without it (null: a new entry, answered
 * under the key NEW_ENTRY). Usually one key; more when the neighbours share a key or a key written by
 * another client is not a valid fractional key (then the whole list is re-keyed, in its order).
 */
export function keysForMove(items: readonly Ordered[], movingId: string | null, toIndex: number): Map<string, string> {
  const others = sortOrdered(items.filter((item) => item.id !== movingId));
  const index = Math.max(0, Math.min(toIndex, others.length));
  const moving = movingId ?? NEW_ENTRY;
  try {
    const before = others[index - 1]?.order ?? null;
    // Entries at and after the slot whose keys do not sort above `before` must move with it.
    let end = index;
    while (before !== null && end < others.length && others[end]!.order <= before) end++;
    const after = others[end]?.order ?? null;
    const run = [moving, ...others.slice(index, end).map((item) => item.id)];
    const keys = generateNKeysBetween(before, after, run.length);
    // The library validates a key's head and tail only: a key with foreign characters inside
    // (a modified client's) can yield keys that do not sort where asked. Check, or re-key all.
    const bounded = [before, ...keys, after];
    for (let i = 1; i < bounded.length; i++) {
      const low = bounded[i - 1];
      const high = bounded[i];
      if (low !== null && high !== null && !(low! < high!)) throw new RangeError('keys out of order');
    }
    return new Map(run.map((id, i) => [id, keys[i]!]));
  } catch {
    const list = [...others.map((item) => item.id)];
    list.splice(index, 0, moving);
    const keys = generateNKeysBetween(null, null, list.length);
    return new Map(list.map((id, i) => [id, keys[i]!]));
  }
}

/**
 * Keys that append `ids`, in that order, after every entry of `items` — one run of keys, so
 * moving a whole lane's cards costs one pass. A foreign last key re-keys the whole list.
 */
export function keysAppending(items: readonly Ordered[], ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const appending = new Set(ids);
  const sorted = sortOrdered(items.filter((item) => !appending.has(item.id)));
  try {
    const last = sorted.at(-1)?.order ?? null;
    const keys = generateNKeysBetween(last, null, ids.length);
    // As in keysForMove: a foreign key the library accepts ("a~") can yield keys that sort before it.
    if (last !== null && !(last < keys[0]!)) throw new RangeError('keys out of order');
    return new Map(ids.map((id, i) => [id, keys[i]!]));
  } catch {
    const all = [...sorted.map((item) => item.id), ...ids];
    const keys = generateNKeysBetween(null, null, all.length);
    return new Map(all.map((id, i) => [id, keys[i]!]));
  }
}
