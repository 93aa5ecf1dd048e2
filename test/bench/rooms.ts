/**
 * The meeting workload, run inside the load-generator process: one document, `clients` members,
 * each sending `rateHz` real Yjs updates per second for `durationS`, every member also a
 * receiver. Sends are spread evenly over each period (client i at i/N of it), so the server sees
 * a steady stream rather than N-wide bursts.
 *
 * Receivers do not apply updates: they scan each frame for send stamps (stats.ts), record the
 * latency and count one delivery per (receiver, sender, seq) seen for the first time. One
 * observer applies everything, and a fresh client synced at the end must agree with it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { dialectByName, type DialectName } from './dialect.ts';
import { countStamps, encodeStamp, LatencyHistogram, nowMs, scanStamps } from './stats.ts';
import { openAll, WireClient } from './wireClient.ts';

export interface MeetingConfig {
  url: string;
  doc: string;
  dialect: DialectName;
  clients: number;
  rateHz: number;
  durationS: number;
  /** How long to wait after the last send for deliveries still in flight. */
  drainMs: number;
}

export interface MeetingResult {
  clients: number;
  durationS: number;
  sent: number;
  expected: number;
  delivered: number;
  duplicates: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  deliveredPerS: number;
  deliveryRatio: number;
  connectMs: number;
  closedDuringRun: Record<string, number>;
  converged: boolean;
  convergenceNote: string;
  generator: { cpuFraction: number; eventLoopP99Ms: number };
}

const TEXT_ROOT = 'bench';
const CONNECT_CONCURRENCY = 25;

export async function runMeeting(config: MeetingConfig, phase: (name: 'sending' | 'drained') => void): Promise<MeetingResult> {
  const dialect = dialectByName(config.dialect);
  const n = config.clients;
  const histogram = new LatencyHistogram();
  // Highest seq seen per (receiver, sender); each sender's updates reach a receiver in order.
  const lastSeq = new Int32Array(n * n).fill(-1);
  let delivered = 0;
  let duplicates = 0;
  let lastDeliveryAt = 0;

  const observerDoc = new Y.Doc();
  const observer = new WireClient({
    url: config.url, doc: config.doc, dialect, ydoc: observerDoc,
    onSync: (_step, payload) => Y.applyUpdate(observerDoc, payload, 'server'),
  });
  await observer.synced;

  const docs = Array.from({ length: n }, () => new Y.Doc());
  const connectStarted = performance.now();
  const clients = await openAll(n, CONNECT_CONCURRENCY, (receiver) => new WireClient({
    url: config.url, doc: config.doc, dialect, ydoc: docs[receiver]!,
    onFrame: (bytes) => {
      const at = nowMs();
      scanStamps(bytes, (sender, seq, sentAt) => {
        if (sender === receiver || sender >= n) return; // servers that echo to the sender
        const slot = receiver * n + sender;
        if (seq <= lastSeq[slot]!) {
          duplicates += 1;
          return;
        }
        lastSeq[slot] = seq;
        delivered += 1;
        lastDeliveryAt = at;
        histogram.record(at - sentAt);
      });
    },
  }));
  const connectMs = performance.now() - connectStarted;

  let sent = 0;
  const seqs = new Int32Array(n);
  clients.forEach((client, i) => {
    docs[i]!.on('update', (update: Uint8Array) => client.sendUpdate(update));
  });
  const send = (i: number): void => {
    const text = docs[i]!.getText(TEXT_ROOT);
    text.insert(text.length, encodeStamp(i, seqs[i]!, nowMs()));
    seqs[i]! += 1;
    sent += 1;
  };

  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpuStart = process.cpuUsage();
  phase('sending');
  const started = performance.now();
  const periodMs = 1000 / config.rateHz;
  const endAt = started + config.durationS * 1000;
  await new Promise<void>((resolve) => {
    let step = 0; // global send index: round = floor(step / n), client = step % n
    const tick = (): void => {
      const now = performance.now();
      for (;;) {
        const due = started + Math.floor(step / n) * periodMs + (step % n) * (periodMs / n);
        if (due >= endAt) return resolve();
        if (due > now) return void setTimeout(tick, due - now);
        send(step % n);
        step += 1;
      }
    };
    tick();
  });
  const sendingEnded = performance.now();
  const expected = sent * (n - 1);
  const drainDeadline = sendingEnded + config.drainMs;
  while (delivered < expected && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cpu = process.cpuUsage(cpuStart);
  loopDelay.disable();
  phase('drained');

  const closedDuringRun: Record<string, number> = {};
  for (const client of clients) {
    if (client.closeCode !== null) closedDuringRun[client.closeCode] = (closedDuringRun[client.closeCode] ?? 0) + 1;
  }
  const convergence = await checkConvergence(config, observerDoc, sent);
  for (const client of clients) client.close();
  observer.close();

  const elapsedS = ((lastDeliveryAt > 0 ? lastDeliveryAt - (performance.timeOrigin + started) : 0)) / 1000;
  return {
    clients: n,
    durationS: config.durationS,
    sent,
    expected,
    delivered,
    duplicates,
    latencyMs: { p50: histogram.quantile(0.5), p95: histogram.quantile(0.95), p99: histogram.quantile(0.99), max: histogram.max },
    deliveredPerS: elapsedS > 0 ? delivered / elapsedS : 0,
    deliveryRatio: expected > 0 ? delivered / expected : 0,
    connectMs,
    closedDuringRun,
    ...convergence,
    generator: {
      cpuFraction: (cpu.user + cpu.system) / 1000 / (performance.now() - started),
      eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
    },
  };
}

/**
 * The observer applied every update it received; a client that connects now receives the
 * server's whole state. Both must hold every update that was sent.
 */
async function checkConvergence(config: MeetingConfig, observerDoc: Y.Doc, sent: number): Promise<{ converged: boolean; convergenceNote: string }> {
  const fresh = new Y.Doc();
  const verifier = new WireClient({
    url: config.url, doc: config.doc, dialect: dialectByName(config.dialect), ydoc: fresh,
    onSync: (_step, payload) => Y.applyUpdate(fresh, payload, 'server'),
  });
  try {
    await verifier.synced;
  } catch (error) {
    return { converged: false, convergenceNote: `fresh client could not sync: ${String(error)}` };
  } finally {
    verifier.close();
  }
  const observed = observerDoc.getText(TEXT_ROOT).toString();
  const stored = fresh.getText(TEXT_ROOT).toString();
  const observedStamps = countStamps(observed);
  const storedStamps = countStamps(stored);
  const converged = observed === stored && observedStamps === sent;
  const note = converged ? `${sent} updates on the observer and in a fresh sync`
    : `sent ${sent}, observer holds ${observedStamps}, fresh sync holds ${storedStamps}${observed === stored ? '' : ', texts differ'}`;
  return { converged, convergenceNote: note };
}
