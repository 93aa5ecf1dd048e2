import { useCallback, useState } from 'react';
import type { Identity } from '../collab/docSession.ts';

/**
 * Who this browser is, for now picked by the member and kept locally. The membership issue
 * replaces this with a server-issued token; callers only ever see an `Identity`.
 */
const STORAGE_KEY = 'guildhall:identity';
export const MEMBER_COLORS = ['#2f6f4e', '#8a4b9c', '#b5542b', '#2b6cb0', '#a8326b', '#6b7d1f', '#0f7a8a', '#7a5a2b'];

function load(): Identity | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Identity> | null;
    if (value && typeof value.name === 'string' && value.name.trim() && typeof value.color === 'string') {
      return { name: value.name.trim(), color: value.color };
    }
  } catch {
    // unreadable: ask again
  }
  return null;
}

export function useIdentity(): [Identity | null, (identity: Identity) => void] {
  const [identity, setIdentity] = useState(load);
  const save = useCallback((next: Identity) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setIdentity(next);
  }, []);
  return [identity, save];
}
