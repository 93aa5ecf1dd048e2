import { useEffect, useState, useSyncExternalStore } from 'react';
import { TIME_PATH } from '../../shared/routes.ts';
import { createLogger } from '../app/log.ts';

/**
 * The relay's clock, as seen from this device: shared meeting and retro timers are anchored on
 * server time, so members whose own clocks are minutes apart still see the same remaining time.
 *
 * The offset is estimated like NTP's: for each sample, server time minus the midpoint of the
 * round trip; the sample with the shortest round trip wins (its midpoint error is at most half
 * of it). It is kept in localStorage, so a reload offline keeps the offset last measured.
 */
const log = createLogger('server-clock');
const STORAGE_KEY = 'guildhall:server-clock-offset';
const SAMPLES = 5;
/** Re-measured this often while the app is open (clocks drift, laptops sleep). */
const RESYNC_MS = 5 * 60_000;

interface Sample { offsetMs: number; roundTripMs: number }

let offsetMs = Number(localStorage.getItem(STORAGE_KEY) ?? 0) || 0;
let measured = false;
let measuring: Promise<void> | null = null;
const listeners = new Set<() => void>();

async function sample(): Promise<Sample | null> {
  const sentAt = Date.now();
  try {
    const response = await fetch(TIME_PATH, { cache: 'no-store' });
    const receivedAt = Date.now();
    const { now } = await response.json() as { now?: unknown };
    if (typeof now !== 'number') return null;
    return { offsetMs: now - (sentAt + receivedAt) / 2, roundTripMs: receivedAt - sentAt };
  } catch {
    return null; // offline: keep the last offset
  }
}

async function measure(): Promise<void> {
  let best: Sample | null = null;
  for (let i = 0; i < SAMPLES; i++) {
    const next = await sample();
    if (next && (!best || next.roundTripMs < best.roundTripMs)) best = next;
    if (!next) break;
  }
  if (!best) return;
  offsetMs = Math.round(best.offsetMs);
  measured = true;
  localStorage.setItem(STORAGE_KEY, String(offsetMs));
  for (const listener of listeners) listener();
}

function ensureMeasured(): void {
  measuring ??= measure().catch((error: unknown) => log.warn('server clock not measured', error)).finally(() => { measuring = null; });
}

// Measure as soon as a page that shows timers loads, not when the first timer appears: a member
// who never measured (offset 0) would otherwise see a timer off by their clock's error for the
// moment the measurement takes.
ensureMeasured();
window.addEventListener('online', ensureMeasured);

/** Server time now (ms since the epoch), by this device's clock and the last measured offset. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** Whether the offset was measured in this page's life (not only remembered from before). */
export function serverClockMeasured(): boolean {
  return measured;
}

/**
 * Keeps the offset fresh while mounted and re-renders about every `tickMs` with server time.
 */
export function useServerNow(tickMs = 250): number {
  useSyncExternalStore((onChange) => {
    listeners.add(onChange);
    return () => listeners.delete(onChange);
  }, () => offsetMs);
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    ensureMeasured();
    const tick = setInterval(() => setNow(serverNow()), tickMs);
    const resync = setInterval(ensureMeasured, RESYNC_MS);
    return () => {
      clearInterval(tick);
      clearInterval(resync);
    };
  }, [tickMs]);
  return now;
}
