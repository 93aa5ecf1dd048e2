import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { DEFAULT_COMMUNITY, isValidIdPart } from '../../shared/docNames.ts';
import type { SearchTarget } from '../../shared/search/records.ts';
import {
  ACTIONS_ROUTE_PREFIX, DECISIONS_ROUTE_PREFIX, DOCUMENT_ROUTE_PREFIX, MINUTES_ROUTE_PREFIX, RETRO_ROUTE_PREFIX, CHARTER_ROUTE_PREFIX, BOARD_ROUTE_PREFIX,
  LIBRARY_ROUTE_PREFIX, SEARCH_ROUTE_PREFIX, HEALTH_ROUTE_PREFIX, safeDecode,
} from '../../shared/routes.ts';

/** Client-side routes; the server (and the service worker offline) answer them with index.html. */
export type Route =
  | { page: 'home' }
  | { page: 'document'; name: string }
  | { page: 'minutes'; name: string }
  | { page: 'retro'; name: string }
  | { page: 'decisions'; communityId: string }
  | { page: 'actions'; communityId: string }
  | { page: 'charter'; communityId: string }
  | { page: 'board'; communityId: string }
  | { page: 'library'; communityId: string }
  | { page: 'search'; communityId: string }
  | { page: 'health'; communityId: string }
  | { page: 'newCommunity' }
  | { page: 'community'; communityId: string }
  | { page: 'join'; code: string }
  | { page: 'notFound' };

const COMMUNITY_ROUTE_PREFIX = '/c/';
const JOIN_ROUTE_PREFIX = '/join/';
export const NEW_COMMUNITY_PATH = '/new';

/** The one path segment after `prefix`, decoded, or null. */
function segmentAfter(pathname: string, prefix: string): string | null {
  if (!pathname.startsWith(prefix)) return null;
  const value = safeDecode(pathname.slice(prefix.length));
  return value && !value.includes('/') ? value : null;
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname === NEW_COMMUNITY_PATH) return { page: 'newCommunity' };
  const name = segmentAfter(pathname, DOCUMENT_ROUTE_PREFIX);
  if (name) return { page: 'document', name };
  const minutes = segmentAfter(pathname, MINUTES_ROUTE_PREFIX);
  if (minutes) return { page: 'minutes', name: minutes };
  const retro = segmentAfter(pathname, RETRO_ROUTE_PREFIX);
  if (retro) return { page: 'retro', name: retro };
  for (const [prefix, page] of [[DECISIONS_ROUTE_PREFIX, 'decisions'], [ACTIONS_ROUTE_PREFIX, 'actions'], [CHARTER_ROUTE_PREFIX, 'charter'],
    [BOARD_ROUTE_PREFIX, 'board'], [LIBRARY_ROUTE_PREFIX, 'library'], [SEARCH_ROUTE_PREFIX, 'search'], [HEALTH_ROUTE_PREFIX, 'health']] as const) {
    const id = segmentAfter(pathname, prefix);
    if (id && isValidIdPart(id)) return { page, communityId: id };
  }
  const communityId = segmentAfter(pathname, COMMUNITY_ROUTE_PREFIX);
  if (communityId && isValidIdPart(communityId)) return { page: 'community', communityId };
  const code = segmentAfter(pathname, JOIN_ROUTE_PREFIX);
  if (code) return { page: 'join', code };
  return { page: 'notFound' };
}

export function documentPath(name: string): string {
  return `${DOCUMENT_ROUTE_PREFIX}${encodeURIComponent(name)}`;
}

export function retroPath(name: string): string {
  return `${RETRO_ROUTE_PREFIX}${encodeURIComponent(name)}`;
}

export function minutesPath(name: string): string {
  return `${MINUTES_ROUTE_PREFIX}${encodeURIComponent(name)}`;
}

export function decisionsPath(communityId: string): string {
  return `${DECISIONS_ROUTE_PREFIX}${encodeURIComponent(communityId)}`;
}

export function charterPath(communityId: string, amend?: string): string {
  return `${CHARTER_ROUTE_PREFIX}${encodeURIComponent(communityId)}${amend ? `?amend=${encodeURIComponent(amend)}` : ''}`;
}

/** The board, with a card open when `card` is given. */
export function boardPath(communityId: string, card?: string): string {
  return `${BOARD_ROUTE_PREFIX}${encodeURIComponent(communityId)}${card ? `?card=${encodeURIComponent(card)}` : ''}`;
}

/** The library, with an entry open when `entry` is given. */
export function libraryPath(communityId: string, entry?: string): string {
  return `${LIBRARY_ROUTE_PREFIX}${encodeURIComponent(communityId)}${entry ? `?entry=${encodeURIComponent(entry)}` : ''}`;
}

export function healthPath(communityId: string): string {
  return `${HEALTH_ROUTE_PREFIX}${encodeURIComponent(communityId)}`;
}

export function searchPath(communityId: string, query = ''): string {
  return `${SEARCH_ROUTE_PREFIX}${encodeURIComponent(communityId)}${query ? `?q=${encodeURIComponent(query)}` : ''}`;
}

/** A query parameter of the current address (`?card=…`), read on each render. */
export function useQueryParam(name: string): string | null {
  const [value, setValue] = useState(() => new URLSearchParams(location.search).get(name));
  useEffect(() => {
    const onChange = (): void => setValue(new URLSearchParams(location.search).get(name));
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, [name]);
  return value;
}

/** Changes the address's query without a new history entry (opening and closing a card). */
export function replaceQuery(params: Record<string, string | null>): void {
  const search = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) search.delete(key);
    else search.set(key, value);
  }
  const query = search.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Where a search result or an activity item opens, with the words to find there (the page scrolls to and marks the first). */
export function targetPath(communityId: string, target: SearchTarget, terms = ''): string {
  const find = `find=${encodeURIComponent(terms)}`;
  const withFind = (path: string): string => (terms ? `${path}${path.includes('?') ? '&' : '?'}${find}` : path);
  switch (target.page) {
    case 'board': return withFind(boardPath(communityId, target.card));
    case 'library': return withFind(libraryPath(communityId, target.entry));
    case 'document': return withFind(documentPath(target.name));
    case 'retro': return withFind(retroPath(target.name));
    case 'charter': return withFind(charterPath(communityId));
    case 'decisions': return withFind(decisionsPath(communityId));
    case 'actions': return withFind(actionsPath(communityId));
  }
}

export function actionsPath(communityId: string): string {
  return `${ACTIONS_ROUTE_PREFIX}${encodeURIComponent(communityId)}`;
}

export function communityPath(communityId: string): string {
  return `${COMMUNITY_ROUTE_PREFIX}${encodeURIComponent(communityId)}`;
}

/** Where a document's "back" link goes: its community's home (the open `home` community is `/`). */
export function communityHomePath(communityId: string): string {
  return communityId === DEFAULT_COMMUNITY ? '/' : communityPath(communityId);
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, []);
  return route;
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} className={className}>{children}</a>;
}
