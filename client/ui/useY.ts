import { useEffect, useState, useSyncExternalStore } from 'react';

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

const snapshots = new WeakMap<object, Map<unknown, { json: string; value: unknown }>>();

/**
 * useYValue for readers that build a new object or array on every call (a list of entries):
 * the result is kept while it is structurally equal (same JSON), so useSyncExternalStore sees
 * a stable value between changes. `read` must return plain data and be a module-level function
 * (it keys the cache).
 */
export function useYSnapshot<T extends Observable, R>(type: T | null, read: (type: T) => R, fallback: R): R {
  return useYValue(type, (t) => {
    const value = read(t);
    const json = JSON.stringify(value);
    let byReader = snapshots.get(t);
    if (!byReader) snapshots.set(t, byReader = new Map());
    const cached = byReader.get(read);
    if (cached && cached.json === json) return cached.value as R;
    byReader.set(read, { json, value });
    return value;
  }, fallback);
}

/**
 * A number that changes whenever any of `docs` changes: for views that read across several
 * documents at once (minutes), computed again on each change.
 */
export function useDocsVersion(docs: ReadonlyArray<{ on(e: 'update', f: () => void): void; off(e: 'update', f: () => void): void } | null>): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (): void => setVersion((v) => v + 1);
    for (const doc of docs) doc?.on('update', bump);
    return () => { for (const doc of docs) doc?.off('update', bump); };
    // The documents themselves are the dependencies, whatever array holds them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, docs);
  return version;
}
