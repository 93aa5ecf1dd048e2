import * as Y from 'yjs';

/**
 * Markdown into Tiptap content as y-tiptap stores it (the inverse of markdown.ts, for the
 * common subset): ATX headings, paragraphs, bullet and numbered lists (one level), block quotes,
 * fenced code, rules, and inline **bold**, _italic_ / *italic*, `code`, ~~strike~~, [links](https://…)
 * (http, https and mailto only) and backslash escapes. Anything else is kept as plain text, so an import never loses words.
 */
/** Tiptap marks as y-tiptap stores them: name → attributes (a link's href). */
type Marks = Record<string, Record<string, string>>;
interface Run { text: string; marks: Marks }

const INLINE = /(\\[\\`*_~[\]<>#+\-.!])|(`[^`]+`)|(\[[^\]\n]+\]\((?:https?:\/\/|mailto:)[^\s)]+\))|(\*\*[^*]+\*\*|__[^_]+__)|(~~[^~]+~~)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)/g;

function runs(text: string, marks: Marks = {}): Run[] {
  const out: Run[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push({ text: text.slice(last, match.index), marks });
    const [token, escaped, code, link, bold, strike, italic] = match;
    if (escaped) out.push({ text: escaped.slice(1), marks });
    else if (code) out.push({ text: code.slice(1, -1), marks: { ...marks, code: {} } });
    else if (link) {
      const at = link.lastIndexOf('](');
      out.push(...runs(link.slice(1, at), { ...marks, link: { href: link.slice(at + 2, -1) } }));
    }
    else if (bold) out.push(...runs(bold.slice(2, -2), { ...marks, bold: {} }));
    else if (strike) out.push(...runs(strike.slice(2, -2), { ...marks, strike: {} }));
    else if (italic) out.push(...runs(italic.slice(1, -1), { ...marks, italic: {} }));
    else out.push({ text: token, marks });
    last = match.index + token.length;
  }
  if (last < text.length) out.push({ text: text.slice(last), marks });
  return out;
}

function textElement(name: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
  const element = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string); // y-tiptap keeps attrs' JSON types
  const xmlText = new Y.XmlText();
  let at = 0;
  for (const run of runs(text)) {
    xmlText.insert(at, run.text, Object.keys(run.marks).length ? run.marks : {});
    at += run.text.length;
  }
  if (at > 0) element.insert(0, [xmlText]);
  return element;
}

function list(name: 'bulletList' | 'orderedList', items: string[]): Y.XmlElement {
  const element = new Y.XmlElement(name);
  element.insert(0, items.map((item) => {
    const li = new Y.XmlElement('listItem');
    li.insert(0, [textElement('paragraph', item)]);
    return li;
  }));
  return element;
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

export function markdownToNodes(markdown: string): Y.XmlElement[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const nodes: Y.XmlElement[] = [];
  let paragraph: string[] = [];
  let i = 0;
  const flush = (): void => {
    if (paragraph.length) nodes.push(textElement('paragraph', paragraph.join(' ')));
    paragraph = [];
  };
  /** The run of lines from `i` that match `pattern`, each as its first group (or mapped line). */
  const take = (matches: (line: string) => string | null): string[] => {
    const taken: string[] = [];
    for (let text = matches(lines[i] ?? ''); i < lines.length && text !== null; text = matches(lines[++i] ?? '')) taken.push(text);
    return taken;
  };
  const group = (pattern: RegExp) => (line: string): string | null => pattern.exec(line)?.[1] ?? null;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') { flush(); i++; continue; }
    flush();
    if (line.startsWith('```')) {
      i++;
      const code = take((l) => (l.startsWith('```') ? null : l));
      i++; // the closing fence
      const block = new Y.XmlElement('codeBlock');
      if (code.length) block.insert(0, [new Y.XmlText(code.join('\n'))]);
      nodes.push(block);
    } else if (HEADING.test(line)) {
      const [, hashes, text] = HEADING.exec(line)!;
      nodes.push(textElement('heading', text!, { level: hashes!.length }));
      i++;
    } else if (RULE.test(line)) {
      nodes.push(new Y.XmlElement('horizontalRule'));
      i++;
    } else if (BULLET.test(line)) {
      nodes.push(list('bulletList', take(group(BULLET))));
    } else if (NUMBERED.test(line)) {
      nodes.push(list('orderedList', take(group(NUMBERED))));
    } else if (line.startsWith('>')) {
      const quote = new Y.XmlElement('blockquote');
      quote.insert(0, [textElement('paragraph', take(group(/^>\s?(.*)$/)).join(' '))]);
      nodes.push(quote);
    } else {
      paragraph = take((l) => (l.trim() === '' || /^(```|#{1,6}\s|>)/.test(l) || BULLET.test(l) || NUMBERED.test(l) || RULE.test(l) ? null : l.trim()));
    }
  }
  flush();
  return nodes;
}
