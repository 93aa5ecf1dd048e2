import { useState } from 'react';
import { ROLES, STEWARDSHIPS, type Role, type Stewardship } from '../../../shared/roles.ts';
import type { Member } from '../../app/api.ts';
import { STEWARDSHIP_DESCRIPTIONS } from './roleText.ts';

interface Props {
  member: Member;
  self: boolean;
  /** Owners change roles and stewardships. */
  isOwner: boolean;
  mayRemove: boolean;
  onChange(body: { role?: Role; stewardships?: Stewardship[] }): Promise<void>;
  onRemove(): Promise<void>;
}

/** One member: name, role and stewardships, with the controls the viewer of the list may use. */
export function MemberRow({ member, self, isOwner, mayRemove, onChange, onRemove }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = member.displayName;
  const run = (action: () => Promise<void>): void => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const toggle = (stewardship: Stewardship, on: boolean): void => run(() => onChange({
    stewardships: on ? [...member.stewardships, stewardship] : member.stewardships.filter((s) => s !== stewardship),
  }));

  return (
    <li className="member" aria-label={name}>
      <span className="avatar small" style={{ backgroundColor: member.color }} aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>
      <span className="member-name">{name}{self && <span className="muted-inline"> (you)</span>}</span>
      {isOwner
        ? (
          <select aria-label={`Role of ${name}`} value={member.role} disabled={busy}
            onChange={(e) => run(() => onChange({ role: e.target.value as Role }))}>
            {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
        )
        : <span className="role-tag">{member.role}</span>}
      {member.stewardships.length > 0 && (
        <span className="stewardships">{member.stewardships.join(', ')}</span>
      )}
      {isOwner && (
        <details className="stewardship-editor">
          <summary>Stewardships<span className="visually-hidden"> of {name}</span></summary>
          <fieldset disabled={busy}>
            <legend className="visually-hidden">Stewardships of {name}</legend>
            {STEWARDSHIPS.map((s) => (
              <label key={s} title={STEWARDSHIP_DESCRIPTIONS[s]}>
                <input type="checkbox" checked={member.stewardships.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />
                {s}
              </label>
            ))}
          </fieldset>
        </details>
      )}
      {mayRemove && !confirming && (
        <button type="button" className="danger" aria-label={`Remove ${name}`} onClick={() => setConfirming(true)}>Remove</button>
      )}
      {mayRemove && confirming && (
        <span className="confirm" role="group" aria-label={`Confirm removing ${name}`}>
          <span>Remove {name}? They lose access at once.</span>
          <button type="button" className="danger" disabled={busy} onClick={() => run(onRemove)}>Yes, remove {name}</button>
          <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
        </span>
      )}
    </li>
  );
}
