import { useEffect, useState, useSyncExternalStore } from 'react';
import { DocSession, type Identity } from './docSession.ts';
import type { DocStatus } from './status.ts';
import { guardUnsaved } from './unloadGuard.ts';

/**
 * Opens a document for as long as the component is mounted. The session is created and destroyed
 * inside one effect, so StrictMode's double mount yields two complete, independent sessions.
 */
export function useDocSession(name: string, identity: Identity): DocSession | null {
  const [session, setSession] = useState<DocSession | null>(null);
  useEffect(() => {
    const created = new DocSession(name, identity);
    const unguard = guardUnsaved(created);
    // The session is an external resource that exists only while this effect runs, so it can
    // only be handed to render from here (DESIGN §5: create and destroy inside one effect).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(created);
    return () => {
      unguard();
      created.destroy();
      setSession(null);
    };
    // Identity changes are applied below without reopening the document.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);
  useEffect(() => session?.setIdentity(identity), [session, identity]);
  return session;
}

const LOADING: DocStatus = { phase: 'loading', ready: false, unsaved: 0 };
const noop = (): (() => void) => () => undefined;

export function useDocStatus(session: DocSession | null): DocStatus {
  return useSyncExternalStore(session?.subscribe ?? noop, session?.getStatus ?? (() => LOADING));
}
