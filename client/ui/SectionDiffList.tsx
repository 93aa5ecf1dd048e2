import type { SectionDiff } from '../../shared/charter/diff.ts';

/** The sections two versions differ in, word by word (charter versions, document versions). */
export function SectionDiffList({ diff }: { diff: readonly SectionDiff[] }) {
  const changed = diff.filter((d) => d.changed);
  return (
    <>
      <p role="status">{changed.length === 0 ? 'No section changed.' : `Changed: ${changed.map((d) => d.title).join(', ')}`}</p>
      <ul className="diff" aria-label="Changed sections">
        {changed.map((d) => (
          <li key={d.id} aria-label={d.title}>
            <h4>{d.title}</h4>
            <p className="diff-text">
              {d.parts.map((part, i) => part.kind === 'same' ? <span key={i}>{part.text}</span>
                : part.kind === 'added' ? <ins key={i}>{part.text}</ins> : <del key={i}>{part.text}</del>)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
