import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { AUTH_SECRET_FILE } from '../auth/secret.ts';
import { directoryPath, documentStorePath, type Config } from '../config.ts';
import { SqliteStore } from '../storage/sqliteStore.ts';
import { CliError, stringOption, type Options, type Values } from './args.ts';
import { fields } from './format.ts';
import type { Output } from './commands.ts';

/**
 * Operator backup and restore of an embedded (SQLite) DATA_DIR. A backup is a folder: consistent
 * copies of the document store and the directory made with SQLite's online backup (safe while
 * the server runs), the token secret (so members' tokens keep working), and a manifest with a
 * SHA-256 of every document's content. Restore copies the folder into an empty DATA_DIR and
 * checks every document against the manifest: content byte for byte, or it says which differ.
 */
export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'guildhall-backup/1';
const FILES = { documents: 'guildhall.sqlite', directory: 'directory.sqlite' } as const;

interface Manifest { format: string; createdAt: number; documents: Record<string, string> }

export interface DataCommand {
  name: string;
  synopsis: string;
  summary: string;
  options: Options;
  /** Works on DATA_DIR's files itself; the CLI opens no directory for it. */
  run(config: Config, options: Values): Promise<Output>;
}

function refuseDatabase(config: Config): void {
  if (config.databaseUrl) {
    throw new CliError('backup and restore work on an embedded DATA_DIR; with DATABASE_URL back up the database with pg_dump');
  }
}

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** A document's content as the store holds it, merged into one canonical update, hashed. */
export async function documentHashes(store: SqliteStore): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const name of (await store.listDocuments()).sort()) {
    const { snapshot, tail } = await store.load(name);
    const doc = new Y.Doc();
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const row of tail) Y.applyUpdate(doc, row.update);
    hashes[name] = createHash('sha256').update(Y.encodeStateAsUpdate(doc)).digest('hex');
    doc.destroy();
  }
  return hashes;
}

async function withStore<T>(path: string, use: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(path);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The token secret, readable by its owner only (it signs every member's token). */
function copySecret(fromDir: string, toDir: string): void {
  const from = join(fromDir, AUTH_SECRET_FILE);
  if (!existsSync(from)) return;
  copyFileSync(from, join(toDir, AUTH_SECRET_FILE));
  chmodSync(join(toDir, AUTH_SECRET_FILE), 0o600);
}

async function sqliteCopy(from: string, to: string): Promise<void> {
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    await db.backup(to);
  } finally {
    db.close();
  }
}

const backup: DataCommand = {
  name: 'backup',
  synopsis: '--to DIR',
  summary: 'Copy DATA_DIR (documents, directory, token secret) into DIR, consistently, while the server runs.',
  options: { to: { type: 'string', value: 'DIR', required: true, help: 'a folder that does not exist yet, or is empty' } },
  async run(config, options) {
    refuseDatabase(config);
    const to = stringOption(options, 'to')!;
    if (!isEmptyOrMissing(to)) throw new CliError(`${to} is not empty: back up into a new folder`);
    if (!existsSync(documentStorePath(config.dataDir))) throw new CliError(`no Guildhall data in ${config.dataDir}: set DATA_DIR to the server's`);
    mkdirSync(to, { recursive: true });
    await sqliteCopy(documentStorePath(config.dataDir), join(to, FILES.documents));
    if (existsSync(directoryPath(config.dataDir))) await sqliteCopy(directoryPath(config.dataDir), join(to, FILES.directory));
    copySecret(config.dataDir, to);
    const documents = await withStore(join(to, FILES.documents), documentHashes);
    const manifest: Manifest = { format: FORMAT, createdAt: Date.now(), documents };
    writeFileSync(join(to, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const count = Object.keys(documents).length;
    return { json: { to, documents: count }, text: fields([['backup', to], ['documents', String(count)]]) };
  },
};

const restore: DataCommand = {
  name: 'restore',
  synopsis: '--from DIR',
  summary: 'Restore a backup into an empty DATA_DIR and check every document against its manifest.',
  options: { from: { type: 'string', value: 'DIR', required: true, help: 'a folder made by backup' } },
  async run(config, options) {
    refuseDatabase(config);
    const from = stringOption(options, 'from')!;
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(from, MANIFEST_FILE), 'utf8')) as Manifest;
    } catch {
      throw new CliError(`${from} holds no readable ${MANIFEST_FILE}: not a Guildhall backup`);
    }
    if (manifest.format !== FORMAT) throw new CliError(`${from} is a backup of another format (${String(manifest.format)})`);
    if (!isEmptyOrMissing(config.dataDir)) throw new CliError(`DATA_DIR ${config.dataDir} is not empty: restore into an empty one`);
    mkdirSync(config.dataDir, { recursive: true });
    for (const file of [FILES.documents, FILES.directory]) {
      if (existsSync(join(from, file))) copyFileSync(join(from, file), join(config.dataDir, file));
    }
    copySecret(from, config.dataDir);
    const restored = await withStore(documentStorePath(config.dataDir), documentHashes);
    const differing = Object.keys({ ...manifest.documents, ...restored }).filter((name) => manifest.documents[name] !== restored[name]);
    if (differing.length > 0) throw new CliError(`restored, but ${differing.length} documents differ from the backup: ${differing.slice(0, 5).join(', ')}`);
    const count = Object.keys(restored).length;
    return { json: { dataDir: config.dataDir, documents: count, verified: true }, text: fields([['restored', config.dataDir], ['documents', `${count}, each identical to the backup`]]) };
  },
};

export const DATA_COMMANDS: DataCommand[] = [backup, restore];
