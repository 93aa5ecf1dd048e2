import { useMemo } from 'react';
import * as Y from 'yjs';
import { markdownToNodes } from '../../../shared/meeting/markdownImport.ts';
import { clip, plainText } from '../../../shared/text.ts';
import { FragmentView } from '../meeting/MinutesView.tsx';

/**
 * A card's or comment's Markdown, rendered as the notes are: read into the same Tiptap nodes a
 * promoted library entry starts from (markdownImport.ts), so what a member sees here is what the
 * library will hold.
 */
export function MarkdownView({ markdown }: { markdown: string }) {
  const fragment = useMemo(() => {
    const fragment = new Y.Doc().getXmlFragment('view');
    fragment.insert(0, markdownToNodes(markdown));
    return fragment;
  }, [markdown]);
  return <div className="markdown">{<FragmentView fragment={fragment} />}</div>;
}

/** The first words of a body, for a card on the board (no Markdown markers). */
export function excerpt(markdown: string, chars = 140): string {
  const plain = plainText(markdown);
  return plain.length > chars ? `${clip(plain, chars - 1)}…` : plain;
}
