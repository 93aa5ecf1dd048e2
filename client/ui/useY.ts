import { useSyncExternalStore } from 'react';

/** The part of a Yjs type this hook needs (Y.Map, Y.Array, Y.Text, Y.XmlFragment all fit). */
interface Observable {
  observeDeep(listener: () => void): void;
  unobserveDeep(listener: () => void): void;
}

/**
 * Subscribes a component to a Yjs type and re-renders it with `read(type)` whenever the type or
 * anything inside it changes. `read` must return a stable value for an unchanged type (a string,
 * number, or a cached object), as useSyncExternalStore requires.
 */
export function useYValue<T extends Observable, R>(type: T | null, read: (type: T) => R, fallback: R): R {
  return useSyncExternalStore(
    (onChange) => {
      if (!type) return () => undefined;
      type.observeDeep(onChange);
      return () => type.unobserveDeep(onChange);
    },
    () => (type ? read(type) : fallback),
  );
}
