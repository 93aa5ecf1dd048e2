import { useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { DEFAULT_COMMUNITY, indexDocName } from '../../shared/docNames.ts';
import { INDEX_DOCUMENTS_ROOT, isIndexEntry, type IndexEntry } from '../../shared/schema/documents.ts';
import type { Identity } from '../collab/docSession.ts';
import { useDocSession, useDocStatus } from '../collab/useDocSession.ts';
import { StatusBadge } from '../ui/StatusBadge.tsx';
import { useYValue } from '../ui/useY.ts';
import { documentPath, Link, navigate } from './router.tsx';

type Listed = IndexEntry & { name: string };

/** Cached per map state so useSyncExternalStore sees a stable array between changes. */
const listCache = new WeakMap<Y.Map<unknown>, { version: string; list: Listed[] }>();
function readDocuments(map: Y.Map<unknown>): Listed[] {
  const version = JSON.stringify(map.toJSON());
  const cached = listCache.get(map);
  if (cached && cached.version === version) return cached.list;
  const list: Listed[] = [];
  map.forEach((value, name) => { if (isIndexEntry(value)) list.push({ ...value, name }); });
  list.sort((a, b) => b.createdAt - a.createdAt);
  listCache.set(map, { version, list });
  return list;
}

function useOnline(): boolean {
  return useSyncExternalStore((onChange) => {
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  }, () => navigator.onLine);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The community home: its documents, from the community index (readable offline). */
export function HomePage({ identity }: { identity: Identity }) {
  const session = useDocSession(indexDocName(DEFAULT_COMMUNITY), identity);
  const status = useDocStatus(session);
  const documents = useYValue(session ? session.doc.getMap(INDEX_DOCUMENTS_ROOT) : null, readDocuments, []);
  const online = useOnline();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (): Promise<void> => {
    setCreating(true);
    setError(null);
    try {
      const response = await fetch('/api/documents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'meeting' }),
      });
      const body = await response.json() as { name?: string; error?: string };
      if (!response.ok || !body.name) throw new Error(body.error ?? `server answered ${response.status}`);
      navigate(documentPath(body.name));
    } catch (e) {
      setError(`Could not create the meeting notes: ${(e as Error).message}`);
    } finally {
      setCreating(false);
    }
  };

  return (
    <section className="home" aria-labelledby="home-title">
      <header className="home-header">
        <div>
          <h1 id="home-title">Meeting notes</h1>
          <p className="muted">Notes your community writes together, live or offline.</p>
        </div>
        <div className="home-actions">
          <StatusBadge status={status} />
          <button type="button" className="primary" onClick={() => void create()} disabled={!online || creating}
            title={online ? undefined : 'Creating a document needs a connection; existing ones work offline.'}>
            {creating ? 'Creating…' : 'New meeting notes'}
          </button>
        </div>
      </header>
      {!online && <p className="notice" role="note">You are offline. Documents you have opened before stay available and editable.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {documents.length === 0
        ? <p className="empty">{status.phase === 'loading' ? 'Loading…' : 'No meeting notes yet. Create the first one.'}</p>
        : (
          <ul className="doc-list" aria-label="Documents">
            {documents.map((d) => (
              <li key={d.name}>
                <Link to={documentPath(d.name)} className="doc-link">
                  <span className="doc-title">{d.title}</span>
                  <span className="doc-date">{dateFormat.format(d.createdAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
