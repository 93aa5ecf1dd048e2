import { useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { readSeals } from '../../../shared/history/versions.ts';
import { historyDocName, SEALS_ROOT, type SealRecord } from '../../../shared/schema/history.ts';
import { memberRequest } from '../../app/api.ts';
import type { Identity } from '../../collab/docSession.ts';
import { useDocSession } from '../../collab/useDocSession.ts';
import { useOnline } from '../../ui/useOnline.ts';
import { useYSnapshot } from '../../ui/useY.ts';

const readAll = (map: Y.Map<unknown>): SealRecord[] => readSeals(map.doc!);
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Sealed archives of the community, and (for archivists and owners) sealing a new one. */
export function SealArchive({ communityId, identity, maySeal }: { communityId: string; identity: Identity; maySeal: boolean }) {
  const history = useDocSession(historyDocName(communityId), identity);
  const seals = useYSnapshot(history ? history.doc.getMap(SEALS_ROOT) : null, readAll, []);
  const online = useOnline();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setMessage(null);
    memberRequest<SealRecord>(communityId, 'POST', '/history/seals', { name }).then(
      (seal) => { setMessage(`Sealed "${seal.name}": ${seal.versions.length} documents.`); setName(''); },
      (e: unknown) => setMessage(`Could not seal: ${(e as Error).message}`));
  };
  if (!maySeal && seals.length === 0) return null;
  return (
    <section className="seals" aria-labelledby="seals-heading">
      <h2 id="seals-heading">Sealed archives</h2>
      {seals.length === 0 ? <p className="muted">None yet. A sealed archive keeps every document of the community as it is now, for good.</p> : (
        <ul aria-label="Sealed archives">{seals.map((s) => <li key={s.id}><strong>{s.name}</strong> · {when.format(s.at)} · {s.by} · {s.versions.length} documents</li>)}</ul>
      )}
      {message && <p className="notice" role="status">{message}</p>}
      {maySeal && (
        <form className="filters" onSubmit={submit} aria-label="Seal an archive">
          <label>Archive name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="2026 archive" /></label>
          <button type="submit" disabled={!online || !name.trim()}>Seal the archive</button>
        </form>
      )}
    </section>
  );
}
