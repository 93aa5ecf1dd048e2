import { useState, type FormEvent } from 'react';
import type { Identity } from '../collab/docSession.ts';
import { ColourSwatches } from '../ui/ColourSwatches.tsx';
import { MEMBER_COLORS } from './identity.ts';

/** Asks for the name and colour other members will see next to this member's caret. */
export function IdentityForm({ initial, onSave, onCancel }: {
  initial: Identity | null;
  onSave: (identity: Identity) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [color, setColor] = useState(initial?.color ?? MEMBER_COLORS[0]!);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (name.trim()) onSave({ name: name.trim().slice(0, 40), color });
  };
  return (
    <form className="identity-form" onSubmit={submit} aria-labelledby="identity-title">
      <h2 id="identity-title">{initial ? 'Your name and colour' : 'Welcome to Guildhall'}</h2>
      {!initial && <p className="muted">Pick the name and colour other members see next to your cursor.</p>}
      <label>
        Display name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} required autoFocus />
      </label>
      <ColourSwatches value={color} onChange={setColor} />
      <div className="form-actions">
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="primary">{initial ? 'Save' : 'Continue'}</button>
      </div>
    </form>
  );
}
