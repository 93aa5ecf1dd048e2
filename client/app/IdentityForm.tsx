import { useState, type FormEvent } from 'react';
import type { Identity } from '../collab/docSession.ts';
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
      <fieldset className="swatches">
        <legend>Colour</legend>
        {MEMBER_COLORS.map((c) => (
          <label key={c} className="swatch" style={{ backgroundColor: c }}>
            <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)}
              aria-label={`Colour ${c}`} />
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="primary">{initial ? 'Save' : 'Continue'}</button>
      </div>
    </form>
  );
}
