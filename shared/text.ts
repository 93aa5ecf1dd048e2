/**
 * `text` cut to at most `max` characters, counted as code points, so a cut never splits an emoji
 * or any other character outside the Basic Multilingual Plane into half a surrogate pair (which
 * the server would keep and clients would show as U+FFFD).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

/** Markdown as plain words, for excerpts, search snippets and filters: block markers, emphasis, link targets and escapes go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/\[([^\]\n]*)\]\([^)\s]*\)/g, '$1')
    .replace(/\\([\\`*_~[\]<>#+\-.!])/g, '$1')
    .replace(/(\*\*|__|~~|[*_`])/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
