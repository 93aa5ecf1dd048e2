import { lazy, Suspense, useState } from 'react';
import { parseDocName } from '../../shared/docNames.ts';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { HomePage } from './HomePage.tsx';
import { useIdentity } from './identity.ts';
import { IdentityForm } from './IdentityForm.tsx';
import { Link, useRoute } from './router.tsx';

// The editor (Tiptap, ProseMirror) is most of the bundle: load it with the first document opened.
// The service worker precaches this chunk too, so it is there offline.
const MeetingPage = lazy(() => import('../features/meeting/MeetingPage.tsx').then((m) => ({ default: m.MeetingPage })));

export function App() {
  const [identity, setIdentity] = useIdentity();
  const [editingIdentity, setEditingIdentity] = useState(false);
  const route = useRoute();

  let main;
  if (!identity || editingIdentity) {
    main = <IdentityForm initial={identity} onCancel={identity ? () => setEditingIdentity(false) : undefined}
      onSave={(next) => { setIdentity(next); setEditingIdentity(false); }} />;
  } else if (route.page === 'home') {
    main = <HomePage identity={identity} />;
  } else if (route.page === 'document' && parseDocName(route.name)) {
    main = (
      <Suspense fallback={<p className="muted">Opening the notes…</p>}>
        <MeetingPage key={route.name} name={route.name} identity={identity} />
      </Suspense>
    );
  } else {
    main = <p className="empty">This page does not exist. <Link to="/">Back to the documents</Link></p>;
  }

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand"><span className="brand-mark" aria-hidden="true">◆</span> Guildhall</Link>
        <span className="community">Home community</span>
        {identity && (
          <button type="button" className="me" onClick={() => setEditingIdentity(true)} aria-label={`You are ${identity.name}. Change name or colour`}>
            <span className="avatar small" style={{ backgroundColor: identity.color }} aria-hidden="true">
              {identity.name.slice(0, 1).toUpperCase()}
            </span>
            {identity.name}
          </button>
        )}
      </header>
      <main><ErrorBoundary key={location.pathname}>{main}</ErrorBoundary></main>
    </div>
  );
}
