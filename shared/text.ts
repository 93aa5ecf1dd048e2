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
    // An escape pair is matched first and kept, so an escaped '[' starts no link.
    .replace(/\\[\\`*_~[\]<>#+\-.!]|\[([^\]\n]*)\]\([^)\s]*\)/g, (match, text: string | undefined) => text ?? match)
    // Escapes and emphasis in one pass, so an escaped marker stays as its character.
    .replace(/\\([\\`*_~[\]<>#+\-.!])|\*\*|__|~~|[*_`]/g, (_, escaped: string | undefined) => escaped ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
