import type { DocStatus } from '../collab/status.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function statusText({ phase, unsaved, reason, readOnly, onDevice }: DocStatus): string {
  switch (phase) {
    case 'loading':
      return 'Opening…';
    case 'offline':
      if (unsaved === 0) return 'Offline';
      return onDevice ? `Offline · ${plural(unsaved, 'change')} kept on this device` : 'Offline · keeping changes on this device…';
    case 'connecting':
      return unsaved > 0 ? `Connecting · ${plural(unsaved, 'change')} not yet saved` : 'Connecting…';
    case 'syncing':
      return unsaved > 0 ? `Saving ${plural(unsaved, 'change')}…` : 'Syncing…';
    case 'saved':
      return readOnly ? 'Up to date' : 'Saved';
    case 'stopped':
      return `Disconnected: ${reason ?? 'refused by the server'}`;
  }
}

/** Saved is shown only when the relay acknowledged every local change as durable. */
export function StatusBadge({ status }: { status: DocStatus }) {
  return (
    <span className={`status status-${status.phase}`} role="status" aria-live="polite"
      data-phase={status.phase} data-unsaved={status.unsaved}>
      <span className="status-dot" aria-hidden="true" />
      {statusText(status)}
    </span>
  );
}
