import type { FrozenSection } from '../schema/charter.ts';

/**
 * Section-by-section comparison of two charter versions: which sections changed, and within a
 * changed section which words were removed and added (longest common subsequence of words and
 * the whitespace between them, so the text reads back exactly).
 */
export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

const MAX_TOKENS = 4000; // beyond this a section is shown as replaced whole (LCS is quadratic)

function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: 'same', text: before }] : [];
  const a = tokens(before);
  const b = tokens(after);
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS) {
    return [...(before ? [{ kind: 'removed' as const, text: before }] : []), ...(after ? [{ kind: 'added' as const, text: after }] : [])];
  }
  // lengths[i][j]: LCS of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { push('same', a[i]!); i++; j++; }
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < a.length) push('removed', a[i++]!);
  while (j < b.length) push('added', b[j++]!);
  return parts;
}

export interface SectionDiff { id: string; title: string; changed: boolean; parts: DiffPart[] }

/** Anything cut into titled sections of text: charter versions, a document's versions (history/sections.ts). */
type Section = Pick<FrozenSection, 'id' | 'title' | 'text'>;

export function diffSections(before: readonly Section[], after: readonly Section[]): SectionDiff[] {
  const ids = [...new Set([...after.map((s) => s.id), ...before.map((s) => s.id)])];
  return ids.map((id) => {
    const a = before.find((s) => s.id === id);
    const b = after.find((s) => s.id === id);
    const parts = diffText(a?.text ?? '', b?.text ?? '');
    return { id, title: b?.title ?? a?.title ?? id, changed: (a?.text ?? '') !== (b?.text ?? ''), parts };
  });
}

export function changedSectionTitles(before: readonly Section[], after: readonly Section[]): string[] {
  return diffSections(before, after).filter((d) => d.changed).map((d) => d.title);
}
