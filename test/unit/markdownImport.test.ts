import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentToMarkdown } from '../../shared/meeting/markdown.ts';
import { markdownToNodes } from '../../shared/meeting/markdownImport.ts';

function roundTrip(markdown: string): string {
  const fragment = new Y.Doc().getXmlFragment('notes');
  fragment.insert(0, markdownToNodes(markdown));
  return fragmentToMarkdown(fragment);
}

describe('[X2] importing Markdown into Tiptap content', () => {
  it('[X2] headings, paragraphs, lists, quotes, code and rules come back as they were written', () => {
    const markdown = [
      '## Agenda', '', 'We met on **Tuesday** and _decided_ quickly, see `ci.yml` and ~~the old plan~~.', '',
      '- pairing', '- reviews', '', '1. first', '2. second', '', '> quoted words', '', '```', 'npm test', '```', '', '---', '', '### Done',
    ].join('\n');
    expect(roundTrip(markdown)).toBe(markdown);
  });

  it('[X2] lines of one paragraph join; escaped markers stay text; nothing is lost from odd input', () => {
    expect(roundTrip('one\ntwo\n\nthree')).toBe('one two\n\nthree');
    expect(roundTrip('\\# not a heading and 2 \\* 3')).toBe('\\# not a heading and 2 \\* 3');
    expect(roundTrip('**unclosed bold and <b>tags</b>')).toContain('unclosed bold');
    expect(roundTrip('')).toBe('');
  });

  it('[X2] links to http, https and mailto become link marks and come back; any other target stays text', () => {
    expect(roundTrip('See [the guide](https://example.com/guide?x=1) or [mail us](mailto:guild@example.com).'))
      .toBe('See [the guide](https://example.com/guide?x=1) or [mail us](mailto:guild@example.com).');
    const fragment = new Y.Doc().getXmlFragment('notes');
    fragment.insert(0, markdownToNodes('[click](javascript:alert(1)) and [local](/board/x)'));
    expect(fragment.toString()).not.toContain('<link');
    expect(fragmentToMarkdown(fragment)).toBe('\\[click\\](javascript:alert(1)) and \\[local\\](/board/x)');
  });
});
