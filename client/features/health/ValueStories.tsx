import { useState, type FormEvent } from 'react';
import { addStory } from '../../../shared/library/model.ts';
import { libraryPath, Link } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { useLibrary } from '../library/useLibrary.ts';

/**
 * Value stories (Wenger-Trayner): what happened → what changed in practice → what value it
 * created, linked to the library's practices. Written into the library document, offline too.
 */
export function ValueStories({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  const { library, entries, stories } = useLibrary(communityId, identity);
  const practices = entries.filter((e) => e.status !== 'archived');
  const titles = new Map(practices.map((p) => [p.id, p.title]));
  const mayWrite = entry !== null && !entry.removed && entry.role !== 'viewer';
  return (
    <section className="value-stories" aria-labelledby="stories-heading">
      <h2 id="stories-heading">Value stories</h2>
      {stories.length === 0 ? <p className="muted">No value story yet: tell one — what happened, what changed in practice, what value it created.</p> : (
        <ol className="stories" aria-label="Value stories">
          {stories.map((s) => (
            <li key={s.id} className="story">
              <p><strong>What happened:</strong> {s.happened}</p>
              <p><strong>What changed in practice:</strong> {s.changed}</p>
              <p><strong>Value created:</strong> {s.value}</p>
              <p className="muted">{s.authorName}, {new Date(s.createdAt).toLocaleDateString()}
                {s.practices.length > 0 && <> · about {s.practices.map((id, i) => <span key={id}>{i > 0 && ', '}<Link to={libraryPath(communityId, id)}>{titles.get(id) ?? 'a practice'}</Link></span>)}</>}</p>
            </li>
          ))}
        </ol>
      )}
      {mayWrite && library && entry && (
        <StoryForm practices={practices.map((p) => ({ id: p.id, title: p.title }))} onSubmit={(story) => {
          addStory(library.doc, { ...story, author: entry.memberId, authorName: identity.name });
        }} />
      )}
    </section>
  );
}

function StoryForm({ practices, onSubmit }: { practices: Array<{ id: string; title: string }>; onSubmit: (story: { happened: string; changed: string; value: string; practices: string[] }) => void }) {
  const [happened, setHappened] = useState('');
  const [changed, setChanged] = useState('');
  const [value, setValue] = useState('');
  const [linked, setLinked] = useState<string[]>([]);
  const complete = happened.trim() && changed.trim() && value.trim();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!complete) return;
    onSubmit({ happened, changed, value, practices: linked });
    setHappened(''); setChanged(''); setValue(''); setLinked([]);
  };
  return (
    <form className="story-form" onSubmit={submit} aria-label="Tell a value story">
      <label>What happened <textarea value={happened} onChange={(e) => setHappened(e.target.value)} rows={2} maxLength={2000} /></label>
      <label>What changed in practice <textarea value={changed} onChange={(e) => setChanged(e.target.value)} rows={2} maxLength={2000} /></label>
      <label>What value it created <textarea value={value} onChange={(e) => setValue(e.target.value)} rows={2} maxLength={2000} /></label>
      {practices.length > 0 && (
        <label>Practices it is about
          <select multiple value={linked} onChange={(e) => setLinked([...e.target.selectedOptions].map((o) => o.value))}>
            {practices.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </label>
      )}
      <button type="submit" className="primary" disabled={!complete}>Add the story</button>
    </form>
  );
}
