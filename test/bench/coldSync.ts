/**
 * The cold-sync workload, run inside the load-generator process: a large real document (the
 * editing trace's state, from `statePath`) is on the server, and fresh clients connect one after
 * another and sync it. Per client: socket creation → open, sync step 1 sent → the server's sync
 * step 2 received ("state received"), and → applied to an empty Y.Doc; every client must end
 * with exactly the stored document.
 *
 * `seed`: the servers that keep documents only in memory get the document from a seeding client
 * that stays connected (so their clients are all warm). Guildhall's is written to its storage
 * before it starts, so its first client finds the document on disk only (cold). `warmup`: a client
 * first syncs another document, so the process has run its sync path once — a server that has
 * been up for a while and unloaded this document, not one whose very first connection this is.
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { dialectByName, SyncStep, type DialectName } from './dialect.ts';
import { WireClient } from './wireClient.ts';

export interface ColdSyncConfig {
  url: string;
  doc: string;
  dialect: DialectName;
  statePath: string;
  clients: number;
  seed: boolean;
  /** Another document synced first (not measured), to warm the server process up. */
  warmup?: { url: string; doc: string };
}

export interface ClientSync {
  openMs: number;
  receivedMs: number;
  appliedMs: number;
  stateBytes: number;
  complete: boolean;
}

export interface ColdSyncResult {
  stateBytes: number;
  /** In order: with `seed: false` the first one found the document on disk only. */
  syncs: ClientSync[];
}

const PAUSE_BETWEEN_CLIENTS_MS = 200;

export async function runColdSync(config: ColdSyncConfig): Promise<ColdSyncResult> {
  const state = new Uint8Array(readFileSync(config.statePath));
  const expected = new Y.Doc();
  Y.applyUpdate(expected, state);
  const expectedSnapshot = Y.snapshot(expected);
  const dialect = dialectByName(config.dialect);
  const seeder = config.seed ? await seed(config, expected) : null;
  if (config.warmup) {
    const other = new WireClient({ ...config.warmup, dialect, ydoc: new Y.Doc() });
    await other.synced;
    other.close();
  }
  const syncs: ClientSync[] = [];
  for (let i = 0; i < config.clients; i++) {
    syncs.push(await syncOnce(config, expectedSnapshot, dialect));
    await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_CLIENTS_MS));
  }
  seeder?.close();
  return { stateBytes: state.length, syncs };
}

/** Connects a client holding the document; its answer to the server's step 1 uploads it. */
async function seed(config: ColdSyncConfig, doc: Y.Doc): Promise<WireClient> {
  const seeder = new WireClient({ url: config.url, doc: config.doc, dialect: dialectByName(config.dialect), ydoc: doc });
  await seeder.synced;
  const target = Y.snapshot(doc);
  for (let attempt = 0; attempt < 100; attempt++) {
    const probe = await syncOnce(config, target, dialectByName(config.dialect));
    if (probe.complete) return seeder;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${config.doc}: the server never held the seeded document`);
}

function syncOnce(config: ColdSyncConfig, expected: Y.Snapshot, dialect: ReturnType<typeof dialectByName>): Promise<ClientSync> {
  return new Promise((resolve, reject) => {
    const doc = new Y.Doc();
    const created = performance.now();
    let openedAt = 0;
    const client: WireClient = new WireClient({
      url: config.url, doc: config.doc, dialect, ydoc: doc,
      onOpen: () => { openedAt = performance.now(); },
      onSync: (step, payload) => {
        if (step !== SyncStep.step2) return;
        const receivedAt = performance.now();
        Y.applyUpdate(doc, payload);
        const appliedAt = performance.now();
        client.close();
        resolve({
          openMs: openedAt - created,
          receivedMs: receivedAt - openedAt,
          appliedMs: appliedAt - openedAt,
          stateBytes: payload.length,
          complete: Y.equalSnapshots(Y.snapshot(doc), expected),
        });
      },
    });
    client.synced.catch(reject);
  });
}
