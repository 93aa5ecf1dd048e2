/**
 * Runs `work` one at a time per key (`keyOf`). A call while a run for its key is in progress folds
 * into one more run after it (however many such calls arrive, with the latest value), and its
 * promise settles when that run has — so a caller that awaits knows its change was taken into
 * account. `work` must not throw (projections log and carry on).
 */
export function coalescedByKey<T>(keyOf: (value: T) => string, work: (value: T) => Promise<void>): (value: T) => Promise<void> {
  const running = new Map<string, { again: boolean; latest: T; done: Promise<void> }>();
  return (value) => {
    const key = keyOf(value);
    const current = running.get(key);
    if (current) {
      current.again = true;
      current.latest = value;
      return current.done;
    }
    const entry = { again: false, latest: value, done: Promise.resolve() };
    running.set(key, entry);
    entry.done = (async () => {
      do {
        entry.again = false;
        await work(entry.latest);
      } while (entry.again);
      running.delete(key);
    })();
    return entry.done;
  };
}
