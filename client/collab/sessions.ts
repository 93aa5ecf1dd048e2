import { tokenForDocument } from './communityTokens.ts';
import { DocSession, type Identity } from './docSession.ts';

/**
 * Open documents of this tab. Components acquire and release sessions; a session nobody uses
 * any more stays open until the relay has acknowledged every local change, so leaving a
 * document (or going back to the list) never abandons edits that are still being saved.
 */
interface Entry {
  session: DocSession;
  users: number;
  stopWatching: (() => void) | null;
}

const entries = new Map<string, Entry>();

export function acquireSession(name: string, identity: Identity): DocSession {
  let entry = entries.get(name);
  if (!entry) {
    entry = { session: new DocSession(name, identity, () => tokenForDocument(name)), users: 0, stopWatching: null };
    entries.set(name, entry);
    if (entries.size === 1) window.addEventListener('beforeunload', warnIfUnsaved);
  }
  entry.users++;
  entry.stopWatching?.();
  entry.stopWatching = null;
  entry.session.setIdentity(identity);
  return entry.session;
}

export function releaseSession(session: DocSession): void {
  const entry = entries.get(session.name);
  if (!entry || entry.session !== session || --entry.users > 0) return;
  const closeWhenSaved = (): void => {
    if (entry.users > 0 || session.getStatus().unsaved > 0) return;
    entry.stopWatching?.();
    entries.delete(session.name);
    if (entries.size === 0) window.removeEventListener('beforeunload', warnIfUnsaved);
    session.destroy();
  };
  entry.stopWatching = session.subscribe(closeWhenSaved);
  closeWhenSaved();
}

/** Documents open in this tab (in use or still saving) with changes the relay has not acked. */
export function unsavedDocuments(): string[] {
  return [...entries.values()].filter((e) => e.session.getStatus().unsaved > 0).map((e) => e.session.name);
}

function warnIfUnsaved(event: BeforeUnloadEvent): void {
  if (unsavedDocuments().length > 0) event.preventDefault();
}
