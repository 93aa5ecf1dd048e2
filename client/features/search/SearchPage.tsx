import { useEffect, useMemo, useState } from 'react';
import { snippet, type SearchRecord } from '../../../shared/search/records.ts';
import { createLogger } from '../../app/log.ts';
import { communityHomePath, Link, replaceQuery, targetPath, useQueryParam } from '../../app/router.tsx';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import { buildLocalIndex, type LocalIndex } from './localIndex.ts';

const log = createLogger('search');


/** Full-text search over the community's documents on this device: works offline. */
export function SearchPage({ communityId }: { communityId: string }) {
  const stored = useStoredCommunity(communityId);
  const initial = useQueryParam('q') ?? '';
  const [query, setQuery] = useState(initial);
  const [built, setBuilt] = useState<{ index: LocalIndex; documents: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    buildLocalIndex(communityId).then((b) => { if (current) setBuilt(b); }, (e: unknown) => {
      log.error('search index not built', e);
      if (current) setError('This browser cannot read its local documents for search.');
    });
    return () => { current = false; };
  }, [communityId]);
  const results = useMemo(() => (built && query.trim() ? built.index.search(query).slice(0, 50) : []), [built, query]);
  return (
    <article className="document search-page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← {stored?.name ?? 'Community'}</Link></nav>
      <h1>Search</h1>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search {stored?.name ?? 'this community'}{' '}
          <input type="search" value={query} autoFocus placeholder="Words from cards, entries, notes, decisions…"
            onChange={(e) => { setQuery(e.target.value); replaceQuery({ q: e.target.value || null }); }} />
        </label>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {!built && !error && <p className="muted">Reading this device's documents…</p>}
      {built && <p className="muted">Searching {built.documents} documents on this device — online or not.</p>}
      {built && query.trim() && results.length === 0 && <p className="empty">Nothing on this device matches “{query}”.</p>}
      <ol className="search-results" aria-label="Search results">
        {results.map((r) => {
          const record = r as unknown as SearchRecord & { score: number };
          return (
            <li key={record.id}>
              <Link to={targetPath(communityId, record.target, r.terms.join(' '))}>{record.title || 'Untitled'}</Link>
              <span className="chip">{record.kind}</span>
              <p className="muted">{snippet(record.text || record.title, r.terms)}</p>
            </li>
          );
        })}
      </ol>
    </article>
  );
}
