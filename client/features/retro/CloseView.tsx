import { useMemo, useState } from 'react';
import { readRetroSummary, retroSummaryMarkdown, undiscussedTopics, votesText } from '../../../shared/retro/summary.ts';
import type { ActionItem, Decision } from '../../../shared/schema/register.ts';
import { memberRequest } from '../../app/api.ts';
import { navigate, retroPath } from '../../app/router.tsx';
import { useDocsVersion } from '../../ui/useY.ts';
import { download } from '../../ui/download.ts';
import { FragmentView, hasText } from '../meeting/MinutesView.tsx';
import type { RetroState } from './useRetro.ts';

interface Props {
  retro: RetroState;
  community: string;
  boardName: string;
  actions: ActionItem[];
  decisions: Decision[];
  mayFacilitate: boolean;
}

/** Close: the top topics with their notes, the action items with owners, participation, export. */
export function CloseView({ retro, community, boardName, actions, decisions, mayFacilitate }: Props) {
  const { board, control, results } = retro;
  const version = useDocsVersion([board?.doc ?? null, control?.doc ?? null, results?.doc ?? null]);
  const summary = useMemo(() => {
    void version; // recomputed on every change of the three documents
    return board && control && results ? readRetroSummary(board.doc, control.doc, results.doc) : null;
  }, [board, control, results, version]);
  const own = actions.filter((a) => a.source === boardName);
  const decided = decisions.filter((d) => d.source === boardName);
  const [error, setError] = useState<string | null>(null);
  if (!summary) return null;
  const undiscussed = undiscussedTopics(summary);

  const carry = async (): Promise<void> => {
    setError(null);
    try {
      const { name } = await memberRequest<{ name: string }>(community, 'POST', '/retros', {
        title: `${summary.title} (follow-up)`, template: 'start-stop-continue', anonymity: retro.meta.anonymity, carryFrom: boardName,
      });
      navigate(retroPath(name));
    } catch (e) {
      setError(`Could not start the next retrospective: ${(e as Error).message}`);
    }
  };

  return (
    <section className="retro-summary" aria-label="Summary">
      <p className="participation">{summary.members} members · {summary.cardCount} cards · {summary.voted} voted</p>
      <div className="summary-actions">
        <button type="button" onClick={() => download(`${summary.title || 'retrospective'}.md`.replace(/[^\w.-]+/g, '-').toLowerCase(), retroSummaryMarkdown(summary, own, decided))}>Download Markdown</button>
        {mayFacilitate && undiscussed.length > 0 && (
          <button type="button" onClick={() => void carry()}>Carry {undiscussed.length} undiscussed {undiscussed.length === 1 ? 'topic' : 'topics'} into the next retro</button>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ol className="summary-topics" aria-label="Topics">
        {summary.topics.map((t) => (
          <li key={t.id}>
            <strong>{t.label}</strong> <span className="muted-inline">{votesText(t.votes)}{t.discussed ? '' : ' · not discussed'}</span>
            {hasText(t.notes) && <div className="minutes-notes"><FragmentView fragment={t.notes} /></div>}
            {decided.filter((d) => d.agendaItem === t.id).map((d) => (
              <p key={d.id} className="summary-action">Decision: {d.text} <span className="muted-inline">— {d.decidedBy || 'the group'}, {d.date}</span></p>
            ))}
            {own.filter((a) => a.agendaItem === t.id).map((a) => (
              <p key={a.id} className="summary-action">Action: {a.text} <span className="muted-inline">— {a.ownerName ?? 'no owner'}{a.due ? `, due ${a.due}` : ''}</span></p>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
