import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BusObserver } from './cluster/redisBus.ts';
import type { BatchStats } from './relay/commitQueue.ts';

/**
 * Prometheus metrics at /metrics (README "Operations"): aggregates only — no document names,
 * member ids or content in any label. One registry per running server, so several servers in one
 * process (tests) keep separate counts.
 */

/** What the relay reports while it works; `RelayMetrics.none` when nobody is measuring. */
export interface RelayMetrics {
  committed(stats: BatchStats): void;
  /** From a client's frame arriving to its update sent to this node's other members. */
  fannedOut(seconds: number): void;
  compaction(result: 'done' | 'another-node' | 'failed'): void;
  /** A room read rows from the database because the bus missed or skipped them. */
  caughtUp(rows: number): void;
  bus: BusObserver;
}

const FAST_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** For a relay nobody measures (tools, tests that build one directly). */
export const NO_METRICS: RelayMetrics = {
  committed() {}, fannedOut() {}, compaction() {}, caughtUp() {}, bus: { published() {}, received() {} },
};

export class Metrics implements RelayMetrics {
  readonly registry = new Registry();
  private readonly commits = new Counter({
    name: 'guildhall_updates_committed_total', help: 'Updates stored (rate() gives updates per second)', registers: [this.registry],
  });
  private readonly commitSeconds = new Histogram({
    name: 'guildhall_commit_seconds', help: 'Duration of one group-commit transaction', buckets: FAST_BUCKETS, registers: [this.registry],
  });
  private readonly fanOutSeconds = new Histogram({
    name: 'guildhall_fanout_seconds', help: 'From a client update arriving to it being sent to the other members on this node',
    buckets: FAST_BUCKETS, registers: [this.registry],
  });
  private readonly busLagSeconds = new Histogram({
    name: 'guildhall_bus_lag_seconds', help: 'From a peer node publishing an update to this node receiving it',
    buckets: FAST_BUCKETS, registers: [this.registry],
  });
  private readonly busMessages = new Counter({
    name: 'guildhall_bus_messages_total', help: 'Messages on the node bus', labelNames: ['direction', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly compactions = new Counter({
    name: 'guildhall_compactions_total', help: 'Compaction attempts by result', labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly catchUpRows = new Counter({
    name: 'guildhall_catch_up_rows_total', help: 'Rows read back from the database because the bus missed them',
    registers: [this.registry],
  });

  constructor(stats: () => { connections: number; documents: number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'guildhall_' });
    new Gauge({
      name: 'guildhall_connections', help: 'Open client websockets', registers: [this.registry],
      collect() { this.set(stats().connections); },
    });
    new Gauge({
      name: 'guildhall_documents_loaded', help: 'Documents in memory', registers: [this.registry],
      collect() { this.set(stats().documents); },
    });
  }

  committed({ stored, millis }: BatchStats): void {
    this.commits.inc(stored);
    if (stored > 0) this.commitSeconds.observe(millis / 1000);
  }

  fannedOut(seconds: number): void {
    this.fanOutSeconds.observe(seconds);
  }

  compaction(result: 'done' | 'another-node' | 'failed'): void {
    this.compactions.inc({ result });
  }

  caughtUp(rows: number): void {
    this.catchUpRows.inc(rows);
  }

  readonly bus: BusObserver = {
    published: (kind) => this.busMessages.inc({ direction: 'out', kind }),
    received: (kind, lagSeconds) => {
      this.busMessages.inc({ direction: 'in', kind });
      if (lagSeconds !== null) this.busLagSeconds.observe(lagSeconds);
    },
  };
}
