import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DocSession, Identity } from './docSession.ts';
import { acquireSession, releaseSession } from './sessions.ts';
import type { DocStatus } from './status.ts';

/**
 * Uses a document for as long as the component is mounted. Acquired and released inside one
 * effect, so StrictMode's double mount yields a complete session; a released session with
 * unsaved changes keeps syncing in the background (see sessions.ts).
 */
export function useDocSession(name: string, identity: Identity): DocSession | null {
  const [session, setSession] = useState<DocSession | null>(null);
  useEffect(() => {
    const acquired = acquireSession(name, identity);
    // The session is an external resource that exists only while this effect runs, so it can
    // only be handed to render from here (DESIGN §5: create and destroy inside one effect).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(acquired);
    return () => {
      releaseSession(acquired);
      setSession(null);
    };
    // Identity changes are applied below without reopening the document.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);
  useEffect(() => session?.setIdentity(identity), [session, identity]);
  return session;
}

const LOADING: DocStatus = { phase: 'loading', ready: false, readOnly: false, unsaved: 0, onDevice: true };
const noop = (): (() => void) => () => undefined;

export function useDocStatus(session: DocSession | null): DocStatus {
  return useSyncExternalStore(session?.subscribe ?? noop, session?.getStatus ?? (() => LOADING));
}
