import { lazy, Suspense, useEffect, useState } from 'react';
import { DEFAULT_COMMUNITY, parseDocName } from '../../shared/docNames.ts';
import { useStoredCommunity } from '../collab/communityTokens.ts';
import { CommunityPage } from '../features/communities/CommunityPage.tsx';
import { JoinPage } from '../features/communities/JoinPage.tsx';
import { NewCommunityPage } from '../features/communities/NewCommunityPage.tsx';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { FindOnPage } from '../ui/FindOnPage.tsx';
import { refreshMemberships } from './api.ts';
import { HomePage } from './HomePage.tsx';
import { useIdentity } from './identity.ts';
import { IdentityForm } from './IdentityForm.tsx';
import { communityHomePath, Link, useRoute, type Route } from './router.tsx';

// The editor (Tiptap, ProseMirror) is most of the bundle: load it with the first document opened.
// The service worker precaches this chunk too, so it is there offline.
const MeetingPage = lazy(() => import('../features/meeting/MeetingPage.tsx').then((m) => ({ default: m.MeetingPage })));
const CharterPage = lazy(() => import('../features/charter/CharterPage.tsx').then((m) => ({ default: m.CharterPage })));
const RetroPage = lazy(() => import('../features/retro/RetroPage.tsx').then((m) => ({ default: m.RetroPage })));
const BoardPage = lazy(() => import('../features/board/BoardPage.tsx').then((m) => ({ default: m.BoardPage })));
const LibraryPage = lazy(() => import('../features/library/LibraryPage.tsx').then((m) => ({ default: m.LibraryPage })));
const HealthPage = lazy(() => import('../features/health/HealthPage.tsx').then((m) => ({ default: m.HealthPage })));
const SearchPage = lazy(() => import('../features/search/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const MinutesPage = lazy(() => import('../features/meeting/MinutesPage.tsx').then((m) => ({ default: m.MinutesPage })));
const DecisionRegisterPage = lazy(() => import('../features/meeting/RegisterPages.tsx').then((m) => ({ default: m.DecisionRegisterPage })));
const ActionTrackerPage = lazy(() => import('../features/meeting/RegisterPages.tsx').then((m) => ({ default: m.ActionTrackerPage })));

/** The community a page belongs to, for the top bar. */
function communityOf(route: Route): string {
  if ('communityId' in route) return route.communityId;
  if (route.page === 'document' || route.page === 'minutes' || route.page === 'retro') return parseDocName(route.name)?.community ?? DEFAULT_COMMUNITY;
  return DEFAULT_COMMUNITY;
}

export function App() {
  const [identity, setIdentity] = useIdentity();
  const [editingIdentity, setEditingIdentity] = useState(false);
  const route = useRoute();
  const communityId = communityOf(route);
  const membership = useStoredCommunity(communityId);
  // Documents reconnect with the stored tokens: renew those past half their life first thing.
  useEffect(refreshMemberships, []);

  let main;
  if (!identity || editingIdentity) {
    main = <IdentityForm initial={identity} onCancel={identity ? () => setEditingIdentity(false) : undefined}
      onSave={(next) => { setIdentity(next); setEditingIdentity(false); }} />;
  } else if (route.page === 'home') {
    main = <HomePage identity={identity} />;
  } else if (route.page === 'document' && parseDocName(route.name)) {
    main = (
      <Suspense fallback={<p className="muted">Opening the meeting…</p>}>
        <MeetingPage key={route.name} name={route.name} identity={identity} />
      </Suspense>
    );
  } else if (route.page === 'charter') {
    main = <Suspense fallback={<p className="muted">Opening the charter…</p>}><CharterPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'board') {
    main = <Suspense fallback={<p className="muted">Opening the board…</p>}><BoardPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'library') {
    main = <Suspense fallback={<p className="muted">Opening the library…</p>}><LibraryPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'health') {
    main = <Suspense fallback={<p className="muted">Opening the health view…</p>}><HealthPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'search') {
    main = <Suspense fallback={<p className="muted">Opening search…</p>}><SearchPage key={route.communityId} communityId={route.communityId} /></Suspense>;
  } else if (route.page === 'retro' && parseDocName(route.name)) {
    main = <Suspense fallback={<p className="muted">Opening the retrospective…</p>}><RetroPage key={route.name} name={route.name} identity={identity} /></Suspense>;
  } else if (route.page === 'minutes' && parseDocName(route.name)) {
    main = <Suspense fallback={<p className="muted">Opening the minutes…</p>}><MinutesPage key={route.name} name={route.name} identity={identity} /></Suspense>;
  } else if (route.page === 'decisions') {
    main = <Suspense fallback={<p className="muted">Opening…</p>}><DecisionRegisterPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'actions') {
    main = <Suspense fallback={<p className="muted">Opening…</p>}><ActionTrackerPage key={route.communityId} communityId={route.communityId} identity={identity} /></Suspense>;
  } else if (route.page === 'newCommunity') {
    main = <NewCommunityPage identity={identity} />;
  } else if (route.page === 'community') {
    main = <CommunityPage key={route.communityId} communityId={route.communityId} identity={identity} />;
  } else if (route.page === 'join') {
    main = <JoinPage key={route.code} code={route.code} identity={identity} />;
  } else {
    main = <p className="empty">This page does not exist. <Link to="/">Back to the documents</Link></p>;
  }

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand"><span className="brand-mark" aria-hidden="true">◆</span> Guildhall</Link>
        {membership
          ? <Link to={communityHomePath(communityId)} className="community">{membership.name}</Link>
          : communityId === DEFAULT_COMMUNITY && <span className="community">Home community</span>}
        {identity && (
          <button type="button" className="me" onClick={() => setEditingIdentity(true)} aria-label={`You are ${identity.name}. Change name or colour`}>
            <span className="avatar small" style={{ backgroundColor: identity.color }} aria-hidden="true">
              {identity.name.slice(0, 1).toUpperCase()}
            </span>
            {identity.name}
          </button>
        )}
      </header>
      <main><ErrorBoundary key={location.pathname}>{main}</ErrorBoundary><FindOnPage /></main>
    </div>
  );
}
