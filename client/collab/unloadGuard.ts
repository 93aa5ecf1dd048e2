import type { DocSession } from './docSession.ts';

const open = new Set<DocSession>();

/** Warns before leaving the page while any open document has changes the relay has not acked. */
function onBeforeUnload(event: BeforeUnloadEvent): void {
  for (const session of open) {
    if (session.getStatus().unsaved > 0) {
      event.preventDefault();
      return;
    }
  }
}

export function guardUnsaved(session: DocSession): () => void {
  if (open.size === 0) window.addEventListener('beforeunload', onBeforeUnload);
  open.add(session);
  return () => {
    open.delete(session);
    if (open.size === 0) window.removeEventListener('beforeunload', onBeforeUnload);
  };
}
