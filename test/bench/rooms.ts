/**
 * The fan-out workloads, run inside the load-generator process: `docs` documents with
 * `clientsPerDoc` members each, every member sending `rateHz` real Yjs updates per second for
 * `durationS` and receiving everyone else's in its document. Meeting = 1 document × 50–300
 * members; many documents = 300 × 4. Sends are spread evenly over each period (the i-th of all
 * clients at i/N of it), so the server sees a steady stream rather than N-wide bursts.
 *
 * Sending starts with `warmupS` at the full rate, which is not measured: every process (server
 * and generator alike) compiles its hot paths during the first second or so, and that one-off
 * cost would otherwise set the tail of a 20-s run. Latency, server CPU and the generator's own
 * figures cover the `durationS` after it; delivery and convergence cover every update sent.
 *
 * Receivers do not apply updates: they scan each frame for send stamps (stats.ts), record the
 * latency and count one delivery per (receiver, sender, seq) seen for the first time; a stamp
 * from another document is counted as crossed (documents must stay isolated). One observer per
 * document applies everything, and a fresh client synced at the end must agree with it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { dialectByName, type DialectName } from './dialect.ts';
import { countStamps, encodeStamp, LatencyHistogram, nowMs, scanStamps } from './stats.ts';
import { openAll, WireClient } from './wireClient.ts';

export interface RoomsConfig {
  /** Websocket URL per document, in the order of `docs`. */
  urls: string[];
  docs: string[];
  dialect: DialectName;
  clientsPerDoc: number;
  rateHz: number;
  /** Sending at the full rate before the measured window starts. */
  warmupS: number;
  durationS: number;
  /** How long to wait after the last send for deliveries still in flight. */
  drainMs: number;
}

export interface RoomsResult {
  docs: number;
  clientsPerDoc: number;
  durationS: number;
  sent: number;
  expected: number;
  delivered: number;
  duplicates: number;
  /** Stamps that reached a member of another document: must be 0. */
  crossed: number;
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

export async function runRooms(config: RoomsConfig, phase: (name: 'start' | 'end') => Promise<void>): Promise<RoomsResult> {
  const dialect = dialectByName(config.dialect);
  const perDoc = config.clientsPerDoc;
  const total = config.docs.length * perDoc;
  const histogram = new LatencyHistogram();
  // Highest seq seen per (receiver, sender) of one document; a sender's updates arrive in order.
  const lastSeq = new Int32Array(total * perDoc).fill(-1);
  let delivered = 0;
  let duplicates = 0;
  let crossed = 0;
  let lastDeliveryAt = 0;
  /** Updates sent from then on (nowMs) have their latency recorded: the warm-up is over. */
  let measuredFrom = Number.POSITIVE_INFINITY;

  const observerDocs = config.docs.map(() => new Y.Doc());
  const observers = await openAll(config.docs.length, CONNECT_CONCURRENCY, (d) => new WireClient({
    url: config.urls[d]!, doc: config.docs[d]!, dialect, ydoc: observerDocs[d]!,
    onSync: (_step, payload) => Y.applyUpdate(observerDocs[d]!, payload, 'server'),
  }));

  const docs = Array.from({ length: total }, () => new Y.Doc());
  const connectStarted = performance.now();
  // Client i belongs to document floor(i / perDoc).
  const clients = await openAll(total, CONNECT_CONCURRENCY, (receiver) => new WireClient({
    url: config.urls[Math.floor(receiver / perDoc)]!, doc: config.docs[Math.floor(receiver / perDoc)]!, dialect, ydoc: docs[receiver]!,
    onFrame: (bytes) => {
      const at = nowMs();
      scanStamps(bytes, (sender, seq, sentAt) => {
        if (sender === receiver || sender >= total) return; // servers that echo to the sender
        if (Math.floor(sender / perDoc) !== Math.floor(receiver / perDoc)) {
          crossed += 1;
          return;
        }
        const slot = receiver * perDoc + (sender % perDoc);
        if (seq <= lastSeq[slot]!) {
          duplicates += 1;
          return;
        }
        lastSeq[slot] = seq;
        delivered += 1;
        lastDeliveryAt = at;
        if (sentAt >= measuredFrom) histogram.record(at - sentAt);
      });
    },
  }));
  const connectMs = performance.now() - connectStarted;

  let sent = 0;
  const seqs = new Int32Array(total);
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
  const started = performance.now();
  const warmupEndsAt = started + config.warmupS * 1000;
  const periodMs = 1000 / config.rateHz;
  const endAt = warmupEndsAt + config.durationS * 1000;
  // Resolves with the generator's CPU at the end of the warm-up, once the parent sampled the server's.
  const measuring = new Promise<NodeJS.CpuUsage>((resolve) => setTimeout(() => {
    measuredFrom = nowMs();
    loopDelay.enable();
    const cpuAtStart = process.cpuUsage();
    void phase('start').then(() => resolve(cpuAtStart));
  }, warmupEndsAt - performance.now()));
  await new Promise<void>((resolve) => {
    let step = 0; // global send index: round = floor(step / total), client = step % total
    const tick = (): void => {
      const now = performance.now();
      for (;;) {
        const due = started + Math.floor(step / total) * periodMs + (step % total) * (periodMs / total);
        if (due >= endAt) return resolve();
        if (due > now) return void setTimeout(tick, due - now);
        send(step % total);
        step += 1;
      }
    };
    tick();
  });
  const cpuStart = await measuring;
  const sendingEnded = performance.now();
  const expected = sent * (perDoc - 1);
  const drainDeadline = sendingEnded + config.drainMs;
  while (delivered < expected && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cpu = process.cpuUsage(cpuStart);
  loopDelay.disable();
  await phase('end');

  const closedDuringRun: Record<string, number> = {};
  for (const client of clients) {
    if (client.closeCode !== null) closedDuringRun[client.closeCode] = (closedDuringRun[client.closeCode] ?? 0) + 1;
  }
  const sentPerDoc = config.docs.map((_, d) => seqs.slice(d * perDoc, (d + 1) * perDoc).reduce((sum, n) => sum + n, 0));
  const convergence = await checkConvergence(config, observerDocs, sentPerDoc);
  for (const client of [...clients, ...observers]) client.close();

  const elapsedS = ((lastDeliveryAt > 0 ? lastDeliveryAt - (performance.timeOrigin + started) : 0)) / 1000;
  return {
    docs: config.docs.length,
    clientsPerDoc: perDoc,
    durationS: config.durationS,
    sent,
    expected,
    delivered,
    duplicates,
    crossed,
    latencyMs: { p50: histogram.quantile(0.5), p95: histogram.quantile(0.95), p99: histogram.quantile(0.99), max: histogram.max },
    deliveredPerS: elapsedS > 0 ? delivered / elapsedS : 0,
    deliveryRatio: expected > 0 ? delivered / expected : 0,
    connectMs,
    closedDuringRun,
    ...convergence,
    generator: {
      cpuFraction: (cpu.user + cpu.system) / 1000 / (performance.now() - warmupEndsAt),
      eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
    },
  };
}

/**
 * Each observer applied every update it received; a client that connects now receives the
 * server's whole state. Both must hold every update sent to that document.
 */
async function checkConvergence(config: RoomsConfig, observerDocs: Y.Doc[], sentPerDoc: number[]): Promise<{ converged: boolean; convergenceNote: string }> {
  const problems: string[] = [];
  for (const [d, doc] of config.docs.entries()) {
    const fresh = new Y.Doc();
    const verifier = new WireClient({
      url: config.urls[d]!, doc, dialect: dialectByName(config.dialect), ydoc: fresh,
      onSync: (_step, payload) => Y.applyUpdate(fresh, payload, 'server'),
    });
    try {
      await verifier.synced;
    } catch (error) {
      problems.push(`${doc}: fresh client could not sync: ${String(error)}`);
      continue;
    } finally {
      verifier.close();
    }
    const observed = observerDocs[d]!.getText(TEXT_ROOT).toString();
    const stored = fresh.getText(TEXT_ROOT).toString();
    const observedStamps = countStamps(observed);
    if (observed !== stored || observedStamps !== sentPerDoc[d]) {
      problems.push(`${doc}: sent ${sentPerDoc[d]}, observer holds ${observedStamps}, fresh sync holds ${countStamps(stored)}${observed === stored ? '' : ', texts differ'}`);
    }
  }
  const sent = sentPerDoc.reduce((sum, n) => sum + n, 0);
  return problems.length === 0
    ? { converged: true, convergenceNote: `${sent} updates on the observers and in fresh syncs` }
    : { converged: false, convergenceNote: `${problems.length} of ${config.docs.length} documents differ; first: ${problems[0]}` };
}
