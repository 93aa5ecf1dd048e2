import { useSyncExternalStore } from 'react';

/** The browser's own idea of being online (what decides whether to offer server-only actions). */
export function useOnline(): boolean {
  return useSyncExternalStore((onChange) => {
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  }, () => navigator.onLine);
}
