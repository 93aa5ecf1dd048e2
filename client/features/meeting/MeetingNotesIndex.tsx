import { useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { indexDocName } from '../../../shared/docNames.ts';
import { INDEX_DOCUMENTS_ROOT, isIndexEntry, UNTITLED, type IndexEntry } from '../../../shared/schema/documents.ts';
import { actionsPath, decisionsPath, documentPath, Link, navigate, retroPath } from '../../app/router.tsx';
import type { Identity } from '../../collab/docSession.ts';
import { useRemoved } from '../../collab/removal.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { useOnline } from '../../ui/useOnline.ts';
import { useYValue } from '../../ui/useY.ts';

type Listed = IndexEntry & { name: string };

/** A meeting made from a Markdown file: its title and text. */
export interface NewNotes { title: string; markdown: string }

/** Cached per map state so useSyncExternalStore sees a stable array between changes. */
const listCache = new WeakMap<Y.Map<unknown>, { version: string; list: Listed[] }>();
function readDocuments(map: Y.Map<unknown>): Listed[] {
  const version = JSON.stringify(map.toJSON());
  const cached = listCache.get(map);
  if (cached && cached.version === version) return cached.list;
  const list: Listed[] = [];
  map.forEach((value, name) => { if (isIndexEntry(value)) list.push({ ...value, name }); });
  list.sort((a, b) => (b.startsAt ?? b.createdAt) - (a.startsAt ?? a.createdAt));
  listCache.set(map, { version, list });
  return list;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Props {
  communityId: string;
  identity: Identity;
  /** The section's heading: the page title on the home page, a sub-heading on a community page. */
  heading: ReactNode;
  headingLevel?: 1 | 2;
  intro?: ReactNode;
  /** Creates meeting notes on the server and answers their name; absent for who may not create. */
  createNotes?: (from?: NewNotes) => Promise<string>;
}

/**
 * A community's meetings, from its index document (readable offline), "New meeting", and the
 * way to the community's decision register and action tracker.
 */
export function MeetingNotesIndex({ communityId, identity, heading, headingLevel = 1, intro, createNotes }: Props) {
  const session = useDocSession(indexDocName(communityId), identity);
  const status = useDocStatus(session);
  const documents = useYValue(session ? session.doc.getMap(INDEX_DOCUMENTS_ROOT) : null, readDocuments, []);
  const online = useOnline();
  // A removed member still reads what this device holds; creating is for members only.
  const removed = useRemoved(communityId, session, status);
  const canCreate = createNotes !== undefined && !removed;
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const headingId = `notes-title-${communityId}`;

  const create = async (from?: NewNotes): Promise<void> => {
    if (!createNotes) return;
    setCreating(true);
    setError(null);
    try {
      navigate(documentPath(await createNotes(from)));
    } catch (e) {
      setError(`Could not create the meeting: ${(e as Error).message}`);
    } finally {
      setCreating(false);
    }
  };

  return (
    <section className="home" aria-labelledby={headingId}>
      <header className="home-header">
        <div>
          <Heading id={headingId}>{heading}</Heading>
          {intro && <p className="muted">{intro}</p>}
        </div>
        <div className="home-actions">
          <StatusBadge status={status} />
          {canCreate && (
            <button type="button" className="primary" onClick={() => void create()} disabled={!online || creating}
              title={online ? undefined : 'Creating a document needs a connection; existing ones work offline.'}>
              {creating ? 'Creating…' : 'New meeting'}
            </button>
          )}
          {canCreate && (
            <label className={`button-like${!online || creating ? ' disabled' : ''}`}>
              Import Markdown
              <input type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" className="visually-hidden" disabled={!online || creating}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void file.text().then((markdown) => create({ title: file.name.replace(/\.(md|markdown|txt)$/i, ''), markdown }));
                }} />
            </label>
          )}
        </div>
      </header>
      <nav className="register-links" aria-label="Across meetings">
        <Link to={decisionsPath(communityId)}>Decision register</Link>
        <Link to={actionsPath(communityId)}>Action tracker</Link>
      </nav>
      {!online && <p className="notice" role="note">You are offline. Documents you have opened before stay available and editable.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {documents.length === 0
        ? <p className="empty">{status.phase === 'loading' ? 'Loading…' : 'No meetings yet.'}{canCreate && status.phase !== 'loading' ? ' Create the first one.' : ''}</p>
        : (
          <ul className="doc-list" aria-label="Documents">
            {documents.map((d) => (
              <li key={d.name}>
                <Link to={d.kind === 'retro' ? retroPath(d.name) : documentPath(d.name)} className="doc-link">
                  <span className="doc-title">{d.kind === 'retro' && <span className="kind-tag">Retro</span>}{d.title || (d.kind === 'retro' ? 'Untitled retrospective' : UNTITLED)}{d.occurrence ? <span className="muted-inline"> · #{d.occurrence}</span> : null}</span>
                  <span className="doc-date">{dateFormat.format(d.startsAt ?? d.createdAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
