/**
 * A document's Markdown cut at its headings, for comparing two versions part by part (the
 * charter's word diff, shared/charter/diff.ts, compares sections with the same id).
 */
export interface TextSection { id: string; title: string; text: string }

export function markdownSections(markdown: string): TextSection[] {
  const sections: TextSection[] = [];
  const seen = new Map<string, number>();
  let current: TextSection = { id: '(start)', title: 'Beginning', text: '' };
  const close = (): void => {
    current.text = current.text.trim();
    if (current.text || current.id !== '(start)') sections.push(current);
  };
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) {
      current.text += `${line}\n`;
      continue;
    }
    close();
    const title = heading[1]!.trim();
    // Two headings alike ("## Notes" under two items) are told apart by their order.
    const n = (seen.get(title) ?? 0) + 1;
    seen.set(title, n);
    current = { id: n === 1 ? title : `${title} (${n})`, title: n === 1 ? title : `${title} (${n})`, text: '' };
  }
  close();
  return sections;
}
