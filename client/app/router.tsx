import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { DOCUMENT_ROUTE_PREFIX, safeDecode } from '../../shared/routes.ts';

/** Client-side routes; the server (and the service worker offline) answer them with index.html. */
export type Route = { page: 'home' } | { page: 'document'; name: string } | { page: 'notFound' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname.startsWith(DOCUMENT_ROUTE_PREFIX)) {
    const name = safeDecode(pathname.slice(DOCUMENT_ROUTE_PREFIX.length));
    if (name && !name.includes('/')) return { page: 'document', name };
  }
  return { page: 'notFound' };
}

export function documentPath(name: string): string {
  return `${DOCUMENT_ROUTE_PREFIX}${encodeURIComponent(name)}`;
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
