import { randomId } from '../../../shared/ids.ts';
import { deleteDraft, personalStateOf, writeDraft } from '../../../shared/retro/model.ts';
import { CardComposer } from '../../editors/CardComposer.tsx';
import type { RetroState } from './useRetro.ts';

/**
 * Reflect: each member writes cards per prompt. They go into the member's personal document
 * only; until the reveal, other members see how many cards exist, never their text.
 */
export function ReflectView({ retro, readOnly }: { retro: RetroState; readOnly: boolean }) {
  const personal = retro.personal?.doc ?? null;
  const writable = personal !== null && !readOnly;
  return (
    <section className="reflect" aria-label="Your cards">
      <p className="muted">Only you see your cards until the facilitator reveals them{retro.meta.anonymity === 'anonymous' ? ', without your name' : ', with your name'}.</p>
      <div className="prompt-columns">
        {retro.meta.prompts.map((prompt) => {
          const mine = retro.drafts.filter((d) => d.prompt === prompt.id);
          return (
            <section key={prompt.id} className="prompt-column" aria-label={prompt.text}>
              <h3>{prompt.text}</h3>
              <ul className="card-list" aria-label={`Your cards for ${prompt.text}`}>
                {mine.map((d) => (
                  <li key={d.id} className="retro-card mine">
                    <span>{d.text}</span>
                    {writable && <button type="button" className="link-button" aria-label={`Delete card: ${d.text}`} onClick={() => deleteDraft(personal, d.id)}>×</button>}
                  </li>
                ))}
              </ul>
              {writable && (
                <CardComposer label={`New card for ${prompt.text}`} placeholder="Write a card, Enter to add"
                  onSubmit={(text) => writeDraft(personal, randomId(), prompt.id, text)} />
              )}
            </section>
          );
        })}
      </div>
      {writable && (
        <label className="checkbox done-toggle">
          <input type="checkbox" checked={retro.done} onChange={(e) => personalStateOf(personal).set('done', e.target.checked)} />
          I am done writing
        </label>
      )}
    </section>
  );
}
