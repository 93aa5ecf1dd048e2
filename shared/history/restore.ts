import * as Y from 'yjs';
import { isFragmentRoot } from '../schema/documents.ts';

/**
 * Restoring a version (issue 10): the live document takes the version's content as one new
 * change — history is never rewritten, and every member's copy follows like any edit. Each root
 * of either document: rich text is replaced by copies of the version's nodes; a map gets the
 * version's entries (nested types copied) and loses entries the version did not have.
 */
export function restoreRoots(live: Y.Doc, version: Y.Doc): void {
  const roots = new Set([...live.share.keys(), ...version.share.keys()]);
  live.transact(() => {
    for (const root of roots) {
      if (isFragmentRoot(root)) restoreFragment(live.getXmlFragment(root), version.getXmlFragment(root));
      else restoreMap(live.getMap(root), version.getMap(root));
    }
  });
}

function restoreFragment(live: Y.XmlFragment, version: Y.XmlFragment): void {
  if (live.toString() === version.toString()) return;
  if (live.length) live.delete(0, live.length);
  const nodes = version.toArray().filter((n): n is Y.XmlElement | Y.XmlText => n instanceof Y.XmlElement || n instanceof Y.XmlText);
  live.insert(0, nodes.map((node) => node.clone()));
}

type Shared = Y.Map<unknown> | Y.Array<unknown> | Y.Text | Y.XmlFragment | Y.XmlElement | Y.XmlText;
const isShared = (value: unknown): value is Shared => value instanceof Y.AbstractType;

const same = (a: unknown, b: unknown): boolean => {
  if (isShared(a) || isShared(b)) return isShared(a) && isShared(b) && a.constructor === b.constructor && JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON());
  return JSON.stringify(a) === JSON.stringify(b);
};

function restoreMap(live: Y.Map<unknown>, version: Y.Map<unknown>): void {
  for (const key of [...live.keys()]) if (!version.has(key)) live.delete(key);
  version.forEach((value, key) => {
    const current = live.get(key);
    if (same(current, value)) return;
    live.set(key, isShared(value) ? (value as Shared).clone() : value);
  });
}
