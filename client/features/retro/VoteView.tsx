import { boardCardIds } from '../../../shared/retro/facilitation.ts';
import { setVotes, topicsOf } from '../../../shared/retro/model.ts';
import { topicLabel } from '../../../shared/retro/summary.ts';
import type { RetroState } from './useRetro.ts';

/**
 * Dot voting. The ballot lives in the member's personal document until the vote closes; the
 * server tallies it then, and ignores a ballot over budget (so a modified client gains nothing).
 */
export function VoteView({ retro, readOnly }: { retro: RetroState; readOnly: boolean }) {
  const personal = retro.personal?.doc ?? null;
  const topics = topicsOf(boardCardIds(retro.cards, retro.acceptedLate), retro.groups, retro.placement);
  const { total, perTopic } = retro.controlState.budget;
  const used = Object.entries(retro.ballot).filter(([id]) => topics.some((t) => t.id === id)).reduce((sum, [, n]) => sum + n, 0);
  const left = total - used;
  return (
    <section className="vote" aria-label="Vote">
      <p className="vote-budget" role="status" aria-live="polite">
        {Math.max(0, left)} of {total} dots left · at most {perTopic} on one topic
      </p>
      {(left < 0 || Object.values(retro.ballot).some((n) => n > perTopic)) && (
        <p className="error" role="alert">Your dots are over the budget: take some back, or your ballot will not count when voting closes.</p>
      )}
      <ul className="topic-list" aria-label="Topics to vote on">
        {topics.map((topic) => {
          const mine = retro.ballot[topic.id] ?? 0;
          const label = topicLabel(topic, retro.cards);
          return (
            <li key={topic.id} className="topic vote-topic" aria-label={label}>
              <span className="topic-label">{label}{topic.cards.length > 1 ? <span className="muted-inline"> ({topic.cards.length} cards)</span> : null}</span>
              <span className="dots" aria-label={`Your dots on ${label}: ${mine}`}>{'●'.repeat(mine)}</span>
              {!readOnly && personal && (
                <span className="dot-buttons">
                  <button type="button" aria-label={`Remove a dot from ${label}`} disabled={mine === 0} onClick={() => setVotes(personal, topic.id, mine - 1)}>−</button>
                  <button type="button" aria-label={`Add a dot to ${label}`} disabled={left <= 0 || mine >= perTopic} onClick={() => setVotes(personal, topic.id, mine + 1)}>+</button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
