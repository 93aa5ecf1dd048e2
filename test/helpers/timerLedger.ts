import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';

export interface PendingTimer {
  kind: 'timeout' | 'interval' | 'immediate';
  /** Where it was created (the first frames outside this file). */
  createdAt: string;
}

export interface TimerLedger {
  /** Timers, intervals and immediates created since `since` (default: ever) that have neither run nor been cleared. */
  pending(since?: number): PendingTimer[];
  /** A mark for `pending`: what was created before it is left out. */
  mark(): number;
}

/**
 * Every timer, interval and immediate created in this process from now on, until the test
 * finishes, so a test can tell which are still pending: `process.getActiveResourcesInfo()` lists
 * only timers that keep the process alive, and the relay unrefs most of its own. Works by
 * wrapping the global functions, which is how the relay's modules reach them.
 */
export function trackTimers(): TimerLedger {
  const original = {
    setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, setImmediate: globalThis.setImmediate,
    clearTimeout: globalThis.clearTimeout, clearInterval: globalThis.clearInterval, clearImmediate: globalThis.clearImmediate,
  };
  const live = new Map<object, PendingTimer & { serial: number }>();
  let serial = 0;
  const record = (handle: object, kind: PendingTimer['kind']): void => {
    const stack = new Error().stack?.split('\n').slice(3, 7).join('\n') ?? '';
    live.set(handle, { kind, createdAt: stack, serial: serial++ });
  };
  const forget = (handle: unknown): void => {
    if (handle && typeof handle === 'object') live.delete(handle);
  };
  type Callback = (...args: unknown[]) => void;

  const setTimeoutTracked = (callback: Callback, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const handle: NodeJS.Timeout = original.setTimeout((...a: unknown[]) => {
      live.delete(handle);
      callback(...a);
    }, ms, ...args);
    record(handle, 'timeout');
    return handle;
  };
  const setIntervalTracked = (callback: Callback, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const handle = original.setInterval(callback, ms, ...args);
    record(handle, 'interval');
    return handle;
  };
  const setImmediateTracked = (callback: Callback, ...args: unknown[]): NodeJS.Immediate => {
    const handle: NodeJS.Immediate = original.setImmediate((...a: unknown[]) => {
      live.delete(handle);
      callback(...a);
    }, ...args);
    record(handle, 'immediate');
    return handle;
  };
  // util.promisify(setTimeout) and friends keep working.
  Object.assign(setTimeoutTracked, { [promisify.custom]: (original.setTimeout as unknown as Record<symbol, unknown>)[promisify.custom] });
  Object.assign(setImmediateTracked, { [promisify.custom]: (original.setImmediate as unknown as Record<symbol, unknown>)[promisify.custom] });

  Object.assign(globalThis, {
    setTimeout: setTimeoutTracked,
    setInterval: setIntervalTracked,
    setImmediate: setImmediateTracked,
    // Node lets either clear function clear either kind of timer.
    clearTimeout: (handle?: NodeJS.Timeout | string | number) => { forget(handle); original.clearTimeout(handle); },
    clearInterval: (handle?: NodeJS.Timeout | string | number) => { forget(handle); original.clearInterval(handle); },
    clearImmediate: (handle?: NodeJS.Immediate) => { forget(handle); original.clearImmediate(handle); },
  });
  onTestFinished(() => void Object.assign(globalThis, original));

  return {
    pending: (since = 0) => [...live.values()].filter((t) => t.serial >= since).map(({ kind, createdAt }) => ({ kind, createdAt })),
    mark: () => serial,
  };
}
