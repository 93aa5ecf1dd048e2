import * as Y from 'yjs';

/**
 * Markdown from a Tiptap document as y-tiptap stores it: an XmlFragment of XmlElements named
 * after the editor's nodes (paragraph, heading, bulletList, orderedList, listItem, blockquote,
 * codeBlock, horizontalRule, hardBreak) holding XmlText whose formatting attributes are the
 * marks (bold, italic, strike, code, link). Unknown nodes keep their text, so nothing is dropped.
 */
interface DeltaOp { insert?: unknown; attributes?: Record<string, unknown> }

const MARKS: Array<[mark: string, open: string, close: string]> = [
  ['code', '`', '`'], ['bold', '**', '**'], ['italic', '_', '_'], ['strike', '~~', '~~'],
];

/** A link mark's target, when it is one a reader may follow (http, https, mailto). */
export function linkHref(mark: unknown): string | null {
  const href = (mark as { href?: unknown } | null | undefined)?.href;
  return typeof href === 'string' && /^(https?:\/\/|mailto:)[^\s()<>]+$/i.test(href) ? href : null;
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_~[\]<])/g, '\\$1');
}

/** Escapes what would start a block at the beginning of a line: a heading, quote, list or rule. */
function escapeLineStart(text: string): string {
  return text.replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|\d+(?=[.)]\s))/, (_, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`);
}

function inline(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string') continue;
    const attributes = op.attributes ?? {};
    const code = 'code' in attributes;
    // Marks wrap the words only: "**Hello **world" is not bold in CommonMark, "**Hello** world" is.
    const [, lead, body, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(op.insert)!;
    let piece = code ? body! : escapeInline(body!);
    for (const [mark, open, close] of MARKS) {
      if (mark in attributes && piece !== '') piece = `${open}${piece}${close}`;
    }
    const href = linkHref(attributes.link);
    if (href && piece !== '') piece = `[${piece}](${href})`;
    out += `${lead}${piece}${trail}`;
  }
  return out;
}

function childrenInline(element: Y.XmlElement | Y.XmlFragment): string {
  return element.toArray().map((child) => {
    if (child instanceof Y.XmlText) return inline(child);
    if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') return '  \n';
    return child instanceof Y.XmlElement ? childrenInline(child) : '';
  }).join('');
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line, i) => (i === 0 ? line : line === '' ? '' : `${' '.repeat(prefix.length)}${line}`)).join('\n');
}

function block(node: Y.XmlElement | Y.XmlText, offset: number): string {
  if (node instanceof Y.XmlText) return inline(node);
  switch (node.nodeName) {
    case 'heading': {
      const level = (Number(node.getAttribute('level')) || 2) + offset;
      return `${'#'.repeat(Math.min(Math.max(level, 1), 6))} ${childrenInline(node)}`;
    }
    case 'bulletList':
    case 'orderedList':
      return node.toArray().map((item, i) => {
        const marker = node.nodeName === 'bulletList' ? '- ' : `${i + 1}. `;
        const body = item instanceof Y.XmlElement ? blocks(item, offset) : '';
        return `${marker}${indent(body, marker)}`;
      }).join('\n');
    case 'blockquote':
      return blocks(node, offset).split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');
    case 'codeBlock':
      return `\`\`\`\n${node.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('')}\n\`\`\``;
    case 'horizontalRule':
      return '---';
    default:
      return escapeLineStart(childrenInline(node));
  }
}

function blocks(parent: Y.XmlElement | Y.XmlFragment, offset: number): string {
  return parent.toArray()
    .map((node) => (node instanceof Y.XmlElement || node instanceof Y.XmlText ? block(node, offset) : ''))
    .filter((text) => text.trim() !== '')
    .join(parent instanceof Y.XmlElement && parent.nodeName === 'listItem' ? '\n' : '\n\n');
}

/**
 * `offset` moves headings down (notes under a "##" section: offset 2 turns their "##" into
 * "####"). Notes that hold nothing but headings (an untouched template) give "".
 */
export function fragmentToMarkdown(fragment: Y.XmlFragment, { offset = 0 } = {}): string {
  const onlyHeadings = fragment.toArray().every((node) => node instanceof Y.XmlElement && (node.nodeName === 'heading' || node.toString().replace(/<[^>]*>/g, '').trim() === ''));
  return onlyHeadings ? '' : blocks(fragment, offset);
}

/** One line of plain text for a table cell or list entry: no line breaks, Markdown escaped. */
export function markdownLine(text: string): string {
  return escapeLineStart(escapeInline(text.replace(/\s+/g, ' ').trim()));
}
