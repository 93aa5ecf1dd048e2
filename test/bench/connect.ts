/**
 * The connect workload, run inside the load-generator process: `clientsPerDoc` idle clients on
 * each of `docs` documents open at once (at most `concurrency` handshakes in flight) and sync.
 * Reported: time until every one holds the server's sync step 2. The parent samples the
 * server's RSS at `idle` (before) and `connected` (all synced, sockets still open) for the
 * memory each connection costs.
 */
import * as Y from 'yjs';
import { dialectByName, type DialectName } from './dialect.ts';
import { openAll, WireClient } from './wireClient.ts';

export interface ConnectConfig {
  urls: string[];
  docs: string[];
  dialect: DialectName;
  clientsPerDoc: number;
  concurrency: number;
}

export interface ConnectResult {
  clients: number;
  docs: number;
  allSyncedMs: number;
  /** Per client, socket creation → sync step 2 received. */
  syncMs: { p50: number; p99: number; max: number };
  closedBeforeEnd: number;
}

/** Lets the server settle (GC, timers) before a memory sample. */
const SETTLE_MS = 1_000;

export async function runConnect(config: ConnectConfig, phase: (name: 'idle' | 'connected') => Promise<void>): Promise<ConnectResult> {
  const dialect = dialectByName(config.dialect);
  const total = config.docs.length * config.clientsPerDoc;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await phase('idle');
  const durations: number[] = [];
  // Idle clients never write, so they share one empty document: a Y.Doc costs its generator a
  // random GUID (~0.25 ms), which for 2,000 clients would make the generator the bottleneck.
  const empty = new Y.Doc();
  const started = performance.now();
  const clients = await openAll(total, config.concurrency, (i) => {
    const d = i % config.docs.length; // round-robin, so every document fills at once
    const opened = performance.now();
    const client = new WireClient({ url: config.urls[d]!, doc: config.docs[d]!, dialect, ydoc: empty });
    void client.synced.then(() => durations.push(performance.now() - opened), () => undefined);
    return client;
  });
  const allSyncedMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await phase('connected');
  const closedBeforeEnd = clients.filter((client) => client.closeCode !== null).length;
  for (const client of clients) client.close();
  durations.sort((a, b) => a - b);
  const at = (q: number): number => durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)] ?? Number.NaN;
  return {
    clients: total,
    docs: config.docs.length,
    allSyncedMs,
    syncMs: { p50: at(0.5), p99: at(0.99), max: durations.at(-1) ?? Number.NaN },
    closedBeforeEnd,
  };
}
