import { useRef, useState, type FormEvent } from 'react';
import { RichComposer, type RichComposerResult } from '../../editors/RichComposer.tsx';

export interface CardDraft { title: string; body: string; tags: string }

interface Props {
  laneName: string;
  initial?: CardDraft;
  submitLabel: string;
  onSubmit: (draft: CardDraft) => void;
  onCancel: () => void;
}

/** Title, a Lexical body with Markdown shortcuts, and tags: a new card, or an edit of one's own. */
export function CardForm({ laneName, initial, submitLabel, onSubmit, onCancel }: Props) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [tags, setTags] = useState(initial?.tags ?? '');
  const body = useRef<RichComposerResult | null>(null);
  const submitBody = useRef<(() => void) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    // Checked before the composer hands over (and empties) its text, so nothing typed is lost.
    if (!title.trim()) { setError('Give the card a title.'); return; }
    body.current = null;
    submitBody.current?.(); // hands the body to onBodySubmit when it has text
    onSubmit({ title, body: (body.current as RichComposerResult | null)?.markdown ?? '', tags });
  };
  return (
    <form className="card-form" onSubmit={submit} aria-label={`${submitLabel} in ${laneName}`}>
      <label>Title <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} autoFocus /></label>
      <RichComposer label="Card text" placeholder="What did you learn? Markdown works: **bold**, - lists, # headings"
        initialMarkdown={initial?.body} submitRef={submitBody}
        onSubmit={(result) => { body.current = result; }} />
      <label>Tags <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="onboarding, remote" /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="primary">{submitLabel}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
