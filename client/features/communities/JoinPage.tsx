import { useEffect, useState, type FormEvent } from 'react';
import type { Role } from '../../../shared/roles.ts';
import { ApiError, apiRequest, rememberMembership, type Community, type MemberSession } from '../../app/api.ts';
import { communityPath, Link, navigate } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import { ColourSwatches } from '../../ui/ColourSwatches.tsx';
import { ROLE_DESCRIPTIONS } from './roleText.ts';

interface InvitePreview {
  community: { name: string; domain: string; description: string };
  role: Role;
  expiresAt: number;
  usable: boolean;
}

type Preview = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; invite: InvitePreview };

/** Why a link that exists can no longer be used; the preview does not say whether used or revoked. */
function unusableText(invite: InvitePreview): string {
  return invite.expiresAt <= Date.now()
    ? 'This invite link has expired. Ask whoever sent it for a new one.'
    : 'This invite link was already used or has been revoked. Ask whoever sent it for a new one.';
}

/** An invite link: shows the community and the role offered first, then joins with a name and colour. */
export function JoinPage({ code, identity }: { code: string; identity: Identity }) {
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [displayName, setDisplayName] = useState(identity.name);
  const [color, setColor] = useState(identity.color);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    apiRequest<InvitePreview>('GET', `/api/invites/${encodeURIComponent(code)}`).then(
      (invite) => { if (current) setPreview({ state: 'ready', invite }); },
      (e: unknown) => {
        if (!current) return;
        const notFound = e instanceof ApiError && e.status === 404;
        setPreview({ state: 'failed', message: notFound ? 'This invite link is not valid. Check that you copied all of it.' : `Could not open this invite: ${(e as Error).message}` });
      },
    );
    return () => { current = false; };
  }, [code]);

  const join = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await apiRequest<MemberSession & { community: Community }>('POST', `/api/invites/${encodeURIComponent(code)}/join`, {
        body: { displayName, color },
      });
      const entry = rememberMembership(session);
      navigate(communityPath(entry.communityId));
    } catch (e) {
      setError(`Could not join: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  if (preview.state === 'loading') return <p className="muted" role="status">Opening the invite…</p>;
  if (preview.state === 'failed') {
    return <div className="form-card"><p className="error" role="alert">{preview.message}</p><Link to="/">Back to Guildhall</Link></div>;
  }
  const { invite } = preview;
  return (
    <form className="form-card" onSubmit={(event) => void join(event)} aria-labelledby="join-title">
      <p className="muted">You are invited to join</p>
      <h1 id="join-title">{invite.community.name}</h1>
      <p className="domain">{invite.community.domain}</p>
      {invite.community.description && <p>{invite.community.description}</p>}
      <p>You would join as <strong>{invite.role}</strong>: {ROLE_DESCRIPTIONS[invite.role]}</p>
      {!invite.usable
        ? <p className="error" role="alert">{unusableText(invite)}</p>
        : (
          <>
            <label>
              Your display name
              <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={40} required />
            </label>
            <ColourSwatches value={color} onChange={setColor} />
            {error && <p className="error" role="alert">{error}</p>}
            <div className="form-actions">
              <Link to="/">Not now</Link>
              <button type="submit" className="primary" disabled={busy}>{busy ? 'Joining…' : `Join ${invite.community.name}`}</button>
            </div>
          </>
        )}
    </form>
  );
}
