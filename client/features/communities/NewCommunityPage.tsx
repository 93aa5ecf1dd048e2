import { useState, type FormEvent } from 'react';
import { apiRequest, rememberMembership, type Community, type MemberSession } from '../../app/api.ts';
import { communityPath, Link, navigate } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import { ColourSwatches } from '../../ui/ColourSwatches.tsx';
import { useOnline } from '../../ui/useOnline.ts';

/** Starts a community: whoever creates it becomes its owner and gets its first token. */
export function NewCommunityPage({ identity }: { identity: Identity }) {
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [description, setDescription] = useState('');
  const [displayName, setDisplayName] = useState(identity.name);
  const [color, setColor] = useState(identity.color);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const online = useOnline();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await apiRequest<MemberSession & { community: Community }>('POST', '/api/communities', {
        body: { name, domain, description, displayName, color },
      });
      const entry = rememberMembership(session);
      navigate(communityPath(entry.communityId));
    } catch (e) {
      setError(`Could not create the community: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  return (
    <form className="form-card" onSubmit={(event) => void submit(event)} aria-labelledby="new-community-title">
      <h1 id="new-community-title">Create a community</h1>
      <p className="muted">You become its owner, and can then invite members with a link.</p>
      <label>
        Community name
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required autoFocus />
      </label>
      <label>
        Domain
        <input value={domain} onChange={(e) => setDomain(e.target.value)} maxLength={120} required
          placeholder="What you practise together, e.g. Software testing" />
      </label>
      <label>
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={3} />
      </label>
      <label>
        Your display name
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={40} required />
      </label>
      <ColourSwatches value={color} onChange={setColor} />
      {!online && <p className="notice" role="note">Creating a community needs a connection.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <div className="form-actions">
        <Link to="/">Cancel</Link>
        <button type="submit" className="primary" disabled={busy || !online}>{busy ? 'Creating…' : 'Create community'}</button>
      </div>
    </form>
  );
}
