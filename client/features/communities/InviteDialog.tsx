import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_INVITE_HOURS } from '../../../shared/api.ts';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { memberRequest } from '../../app/api.ts';
import { ROLE_DESCRIPTIONS } from './roleText.ts';

const HOURS_PER_DAY = 24;
const MAX_INVITE_DAYS = MAX_INVITE_HOURS / HOURS_PER_DAY;
const DEFAULT_INVITE_DAYS = 7;
/** Roles a membership manager who is not an owner may hand out (the server checks this too). */
const DELEGABLE_ROLES: readonly Role[] = ['member', 'viewer'];

interface Props {
  communityId: string;
  /** Owners may invite any role; membership managers members and viewers. */
  anyRole: boolean;
  onClose(): void;
}

/** Makes an invite link (role, expiry, single- or multi-use) to send to someone, with a Copy button. */
export function InviteDialog({ communityId, anyRole, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [role, setRole] = useState<Role>('member');
  const [days, setDays] = useState(DEFAULT_INVITE_DAYS);
  const [multiUse, setMultiUse] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Modal (focus kept inside, Escape closes); guarded because StrictMode runs this effect twice.
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(null);
    try {
      const { path } = await memberRequest<{ path: string }>(communityId, 'POST', '/invites', {
        role, expiresInHours: days * HOURS_PER_DAY, maxUses: multiUse ? null : 1,
      });
      setLink(`${location.origin}${path}`);
    } catch (e) {
      setError(`Could not create the link: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const copy = async (): Promise<void> => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Copied. Send it to the person you invite.');
    } catch {
      setCopied('Copying is not allowed here: select the link and copy it yourself.');
    }
  };

  return (
    <dialog ref={dialog} className="invite-dialog" aria-labelledby="invite-title" onClose={onClose}>
      <form onSubmit={(event) => void create(event)}>
        <h2 id="invite-title">Invite people</h2>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(anyRole ? ROLES : DELEGABLE_ROLES).map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <p className="muted">{/^[aeiou]/.test(role) ? 'An' : 'A'} {role} {ROLE_DESCRIPTIONS[role]}</p>
        <label>
          Expires in (days)
          <input type="number" min={1} max={MAX_INVITE_DAYS} value={days} required
            onChange={(e) => setDays(Math.min(MAX_INVITE_DAYS, Math.max(1, Math.round(Number(e.target.value) || 1))))} />
        </label>
        <fieldset className="choice">
          <legend>Uses</legend>
          <label><input type="radio" name="uses" checked={!multiUse} onChange={() => setMultiUse(false)} /> Single use: one person</label>
          <label><input type="radio" name="uses" checked={multiUse} onChange={() => setMultiUse(true)} /> Multi-use: anyone with the link until it expires</label>
        </fieldset>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create invite link'}</button>
        </div>
        {link && (
          <div className="invite-link">
            <label>
              Invite link
              <input readOnly value={link} onFocus={(e) => e.target.select()} />
            </label>
            <button type="button" onClick={() => void copy()}>Copy</button>
            {copied && <p className="muted" role="status">{copied}</p>}
          </div>
        )}
        <div className="form-actions">
          <button type="button" onClick={() => dialog.current?.close()}>Close</button>
        </div>
      </form>
    </dialog>
  );
}
