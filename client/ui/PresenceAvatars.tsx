import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

interface Present {
  clientId: number;
  name: string;
  color: string;
  self: boolean;
}

function readPresent(awareness: Awareness): Present[] {
  const present: Present[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
    if (typeof user?.name !== 'string') continue;
    present.push({
      clientId,
      name: user.name,
      color: typeof user.color === 'string' ? user.color : '#666',
      self: clientId === awareness.clientID,
    });
  }
  return present.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]!.toUpperCase()).join('');
}

/** Who is in this document right now, from awareness. */
export function PresenceAvatars({ awareness }: { awareness: Awareness }) {
  const [present, setPresent] = useState(() => readPresent(awareness));
  useEffect(() => {
    const onChange = (): void => setPresent(readPresent(awareness));
    awareness.on('change', onChange);
    onChange();
    return () => awareness.off('change', onChange);
  }, [awareness]);
  return (
    <ul className="presence" aria-label="People in this document">
      {present.map((p) => (
        <li key={p.clientId} className="avatar" style={{ backgroundColor: p.color }}
          title={p.self ? `${p.name} (you)` : p.name} aria-label={p.self ? `${p.name} (you)` : p.name}>
          {initials(p.name)}
        </li>
      ))}
    </ul>
  );
}
