import { useEffect } from 'react';
import { useQueryParam } from '../app/router.tsx';

const FIND_WAIT_MS = 10_000;
const HIGHLIGHT = 'guildhall-find';

/** Ranges of every case-insensitive occurrence of `term` in text under `root`. */
function rangesOf(root: Node, term: string): Range[] {
  const ranges: Range[] = [];
  const needle = term.toLowerCase();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.toLowerCase() ?? '';
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      ranges.push(range);
    }
  }
  return ranges;
}

/**
 * Opening a search result (`?find=words`): once the page shows the words, scroll to the first and
 * mark every one (CSS Custom Highlight API: no DOM changes, so editors are not disturbed).
 * Documents load asynchronously, so this looks again until the words appear.
 */
export function FindOnPage() {
  const find = useQueryParam('find');
  useEffect(() => {
    const terms = (find ?? '').trim().split(/\s+/).filter((t) => t.length > 1);
    if (!terms.length) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const main = document.querySelector('main') ?? document.body;
      // A result opened in a panel (a board card) is searched first.
      const scope = document.querySelector('[role="dialog"]') ?? main;
      const ranges = terms.flatMap((t) => rangesOf(scope, t));
      if (ranges.length || Date.now() - started > FIND_WAIT_MS) clearInterval(timer);
      if (!ranges.length) return;
      ranges[0]!.startContainer.parentElement?.scrollIntoView({ block: 'center' });
      if ('highlights' in CSS) CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
    }, 200);
    return () => {
      clearInterval(timer);
      if ('highlights' in CSS) CSS.highlights.delete(HIGHLIGHT);
    };
  }, [find]);
  return null;
}
