import { useMemo, useState } from 'react';
import { diffSections } from '../../../shared/charter/diff.ts';
import { thawSection } from '../../../shared/charter/model.ts';
import { SectionDiffList } from '../../ui/SectionDiffList.tsx';
import type { CharterVersion } from '../../../shared/schema/charter.ts';
import { FragmentView } from '../meeting/MinutesView.tsx';
import { formatWhen, statusText, TallyLine } from './RoundPanel.tsx';

interface Props {
  versions: CharterVersion[];
  /** Proposes an earlier version's text again, as a new version; absent for who may not propose. */
  onRestore?: (version: CharterVersion) => void;
}

/** Every version with its status and tally; any one read-only; any two compared section by section. */
export function HistoryView({ versions, onRestore }: Props) {
  const newest = versions[versions.length - 1]?.number ?? 1;
  const [viewing, setViewing] = useState<number | null>(null);
  const [from, setFrom] = useState<number>(Math.max(1, newest - 1));
  const [to, setTo] = useState<number>(newest);
  const shown = versions.find((v) => v.number === viewing) ?? null;
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  const diff = useMemo(() => (a && b ? diffSections(a.sections, b.sections) : []), [a, b]);

  return (
    <section className="history" aria-labelledby="history-heading">
      <h2 id="history-heading">Versions</h2>
      <ol className="version-list" aria-label="Charter versions" reversed>
        {[...versions].reverse().map((v) => (
          <li key={v.number} className={`version status-${v.status}`} aria-label={`Version ${v.number}`}>
            <span><strong>v{v.number}</strong> · {statusText(v.status)} · {v.summary}{v.restoredFrom ? ` (restores v${v.restoredFrom})` : ''}</span>
            <span className="muted-inline">{v.proposedBy}, {formatWhen(v.proposedAt)}</span>
            {v.status !== 'template' && <TallyLine version={v} />}
            <span className="version-actions">
              <button type="button" onClick={() => setViewing(viewing === v.number ? null : v.number)}>{viewing === v.number ? 'Hide' : `Read v${v.number}`}</button>
              {onRestore && v.number !== newest && <button type="button" onClick={() => onRestore(v)}>Propose v{v.number} again</button>}
            </span>
          </li>
        ))}
      </ol>
      {shown && (
        <article className="frozen" aria-label={`Version ${shown.number}, read-only`}>
          <h3>Version {shown.number} <span className="muted-inline">(read-only)</span></h3>
          {shown.sections.map((s) => (
            <section key={s.id} aria-label={s.title}>
              <h4>{s.title}</h4>
              <FragmentView fragment={thawSection(s)} />
            </section>
          ))}
        </article>
      )}
      {versions.length > 1 && (
        <section className="compare" aria-label="Compare versions">
          <h3>Compare</h3>
          <div className="filters">
            <label>From<select value={from} onChange={(e) => setFrom(Number(e.target.value))}>{versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}</select></label>
            <label>To<select value={to} onChange={(e) => setTo(Number(e.target.value))}>{versions.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}</select></label>
          </div>
          <SectionDiffList diff={diff} />
        </section>
      )}
    </section>
  );
}
