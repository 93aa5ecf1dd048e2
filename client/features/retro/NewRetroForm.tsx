import { useState, type FormEvent } from 'react';
import { ANONYMITY, RETRO_TEMPLATES, TEMPLATE_NAMES, type Anonymity, type RetroTemplate } from '../../../shared/schema/retro.ts';
import { memberRequest } from '../../app/api.ts';
import { navigate, retroPath } from '../../app/router.tsx';
import { useOnline } from '../../ui/useOnline.ts';

/** Starts a retrospective (owners and facilitators): the server writes its prompts once. */
export function NewRetroForm({ communityId }: { communityId: string }) {
  const online = useOnline();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState<RetroTemplate>('start-stop-continue');
  const [anonymity, setAnonymity] = useState<Anonymity>('anonymous');
  const [prompts, setPrompts] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const custom = prompts.split('\n').map((p) => p.trim()).filter(Boolean);
      const { name } = await memberRequest<{ name: string }>(communityId, 'POST', '/retros', {
        title: title.trim(), template, anonymity, ...(template === 'custom' ? { prompts: custom } : {}),
      });
      navigate(retroPath(name));
    } catch (e) {
      setError(`Could not start the retrospective: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return <button type="button" onClick={() => setOpen(true)} disabled={!online}>New retrospective</button>;
  }
  return (
    <form className="form-card new-retro" onSubmit={(e) => void submit(e)} aria-label="New retrospective">
      <h2>New retrospective</h2>
      <label>Title<input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Q4 retrospective" /></label>
      <label>Template
        <select value={template} onChange={(e) => setTemplate(e.target.value as RetroTemplate)}>
          {RETRO_TEMPLATES.map((t) => <option key={t} value={t}>{TEMPLATE_NAMES[t]}</option>)}
        </select>
      </label>
      {template === 'custom' && (
        <label>Prompts, one per line<textarea rows={4} value={prompts} onChange={(e) => setPrompts(e.target.value)} /></label>
      )}
      <fieldset className="choice">
        <legend>Cards</legend>
        {ANONYMITY.map((a) => (
          <label key={a}><input type="radio" name="anonymity" checked={anonymity === a} onChange={() => setAnonymity(a)} />
            {a === 'anonymous' ? 'Anonymous — no names on cards (authors may claim theirs later)' : 'Named — each card shows its author'}</label>
        ))}
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
        <button type="submit" className="primary" disabled={busy || !title.trim()}>Start retrospective</button>
      </div>
    </form>
  );
}
