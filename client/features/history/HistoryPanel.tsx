import { fromBase64 } from 'lib0/buffer';
import { useMemo, useState, type FormEvent } from 'react';
import * as Y from 'yjs';
import { diffSections } from '../../../shared/charter/diff.ts';
import { documentMarkdown, rootsAsJson } from '../../../shared/history/markdown.ts';
import { markdownSections } from '../../../shared/history/sections.ts';
import { readVersionRecords } from '../../../shared/history/versions.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import { historyDocName, VERSION_KIND_NAMES, VERSIONS_ROOT, type VersionRecord } from '../../../shared/schema/history.ts';
import { memberRequest } from '../../app/api.ts';
import type { Identity } from '../../collab/docSession.ts';
import { useDocSession } from '../../collab/useDocSession.ts';
import { download } from '../../ui/download.ts';
import { SectionDiffList } from '../../ui/SectionDiffList.tsx';
import { useOnline } from '../../ui/useOnline.ts';
import { useDocsVersion, useYSnapshot } from '../../ui/useY.ts';
import { MarkdownView } from '../board/MarkdownView.tsx';

interface Props {
  communityId: string;
  docName: string;
  /** The document as it is now, to compare a version with. */
  live: Y.Doc;
  identity: Identity;
  readOnly: boolean;
}

/** A download's name: the document's title, or its id. */
function fileStem(docName: string, doc: Y.Doc): string {
  const title = String(doc.getMap(META_ROOT).get('title') ?? '');
  return (title || docName.split('.')[2] || 'document').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'document';
}

/** The newest versions are listed; the rest behind "Show all" (a document worked on for years has many). */
const SHOWN_VERSIONS = 10;

const readAll = (map: Y.Map<unknown>): VersionRecord[] => readVersionRecords(map.doc!);
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A document's history (issue 10): its versions (listed from the server-written history
 * document, so the list reads offline), each readable, comparable with the document now, and
 * restorable as a new change; members save named versions. Reading a version's content needs
 * the server (versions are kept there, not on every device).
 */
export function HistoryPanel({ communityId, docName, live, identity, readOnly }: Props) {
  const history = useDocSession(historyDocName(communityId), identity);
  const all = useYSnapshot(history ? history.doc.getMap(VERSIONS_ROOT) : null, readAll, []);
  const versions = useMemo(() => all.filter((v) => v.doc === docName).reverse(), [all, docName]);
  const online = useOnline();
  const [shown, setShown] = useState<{ record: VersionRecord; doc: Y.Doc; mode: 'view' | 'compare' } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const open = async (record: VersionRecord, mode: 'view' | 'compare'): Promise<void> => {
    setMessage(null);
    try {
      const { state } = await memberRequest<{ state: string }>(communityId, 'GET', `/history/versions/${record.id}`);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, fromBase64(state));
      setShown({ record, doc, mode });
    } catch (e) {
      setMessage(`Could not open the version: ${(e as Error).message}`);
    }
  };
  const restore = async (record: VersionRecord): Promise<void> => {
    if (!confirm(`Restore the version of ${when.format(record.at)}? The document now is kept as a version first.`)) return;
    try {
      await memberRequest(communityId, 'POST', `/history/versions/${record.id}/restore`);
      setMessage(`Restored the version of ${when.format(record.at)}.`);
      setShown(null);
    } catch (e) {
      setMessage(`Could not restore: ${(e as Error).message}`);
    }
  };
  return (
    <section className="history-panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {message && <p className="notice" role="status">{message}</p>}
      <p className="row">
        <button type="button" onClick={() => download(`${fileStem(docName, live)}.md`, documentMarkdown(docName, live))}>Download as Markdown</button>
        <button type="button" onClick={() => download(`${fileStem(docName, live)}.json`, `${JSON.stringify(rootsAsJson(live), null, 2)}\n`, 'application/json')}>Download as JSON</button>
      </p>
      {!readOnly && <SaveVersion communityId={communityId} docName={docName} disabled={!online} onSaved={setMessage} />}
      {versions.length === 0 ? <p className="muted">No versions yet: one is kept at the end of each editing session, and whenever someone saves one.</p> : (
        <ol className="version-list" aria-label="Versions">
          {(showAll ? versions : versions.slice(0, SHOWN_VERSIONS)).map((v) => (
            <li key={v.id}>
              <span><strong>{v.name || VERSION_KIND_NAMES[v.kind]}</strong> · {when.format(v.at)} · {v.by}</span>
              <span className="row">
                <button type="button" disabled={!online} onClick={() => void open(v, 'view')}>View</button>
                <button type="button" disabled={!online} onClick={() => void open(v, 'compare')}>Compare with now</button>
                {!readOnly && <button type="button" disabled={!online} onClick={() => void restore(v)}>Restore</button>}
              </span>
            </li>
          ))}
        </ol>
      )}
      {!showAll && versions.length > SHOWN_VERSIONS && <button type="button" className="link" onClick={() => setShowAll(true)}>Show all {versions.length} versions</button>}
      {shown && <VersionView docName={docName} live={live} shown={shown} onClose={() => setShown(null)} />}
    </section>
  );
}

function VersionView({ docName, live, shown, onClose }: { docName: string; live: Y.Doc; shown: { record: VersionRecord; doc: Y.Doc; mode: 'view' | 'compare' }; onClose: () => void }) {
  const version = useDocsVersion([live]);
  const markdown = useMemo(() => documentMarkdown(docName, shown.doc), [docName, shown.doc]);
  const diff = useMemo(
    () => (shown.mode === 'compare' ? diffSections(markdownSections(markdown), markdownSections(documentMarkdown(docName, live))) : []),
    // version: the live document changed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shown.mode, markdown, docName, live, version],
  );
  const label = `${shown.mode === 'view' ? 'Version' : 'Changes since the version'} of ${when.format(shown.record.at)}`;
  return (
    <section className="version-view" aria-label={label}>
      <header className="row"><h3>{label}</h3><button type="button" onClick={onClose}>Close</button></header>
      {shown.mode === 'view' ? <div className="read-only"><MarkdownView markdown={markdown} /></div> : <SectionDiffList diff={diff} />}
    </section>
  );
}

function SaveVersion({ communityId, docName, disabled, onSaved }: { communityId: string; docName: string; disabled: boolean; onSaved: (message: string) => void }) {
  const [name, setName] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    memberRequest(communityId, 'POST', '/history/versions', { doc: docName, name })
      .then(() => { onSaved(`Saved the version "${name.trim()}".`); setName(''); }, (e: unknown) => onSaved(`Could not save: ${(e as Error).message}`));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Save a version">
      <label>Version name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="e.g. Before the review" /></label>
      <button type="submit" disabled={disabled || !name.trim()}>Save version</button>
    </form>
  );
}
