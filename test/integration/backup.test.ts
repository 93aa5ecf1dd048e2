import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentHashes } from '../../server/cli/backup.ts';
import { documentStorePath } from '../../server/config.ts';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { MEETING_NOTES_ROOT } from '../../shared/schema/documents.ts';
import { runCli } from '../helpers/cli.ts';
import { connectClient, waitSynced } from '../helpers/clients.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

async function hashesOf(dataDir: string): Promise<Record<string, string>> {
  const store = new SqliteStore(documentStorePath(dataDir));
  try {
    return await documentHashes(store);
  } finally {
    await store.close();
  }
}

describe('operator backup and restore (CLI)', () => {
  it('[C2] a backup taken while the server runs restores into an empty DATA_DIR with every document identical, and members\' tokens still work', async () => {
    const dataDir = tempDir();
    const relay = await startTestRelay({ dataDir });
    const created = await fetch(`${relay.url}/api/communities`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Testing guild', domain: 'Software testing', displayName: 'Ada', color: '#2f6f4e' }),
    }).then((r) => r.json()) as { community: { id: string }; token: string };
    const meeting = await fetch(`${relay.url}/api/communities/${created.community.id}/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` }, body: JSON.stringify({ kind: 'meeting', title: 'Kick-off' }),
    }).then((r) => r.json()) as { name: string };
    const ada = connectClient(relay.wsUrl, meeting.name, { params: { token: created.token } });
    await waitSynced(ada);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Written before the backup.')]);
    ada.doc.getXmlFragment(MEETING_NOTES_ROOT).insert(0, [paragraph]);
    await waitFor(async () => (await relay.store.headSeq(meeting.name)) >= 2, { message: 'edit stored' });

    const backupDir = join(tempDir(), 'backup');
    const backup = await runCli(dataDir, ['backup', '--to', backupDir, '--json']);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const documents = (JSON.parse(backup.stdout) as { documents: number }).documents;
    expect(documents).toBeGreaterThanOrEqual(4); // the meeting, the community index, the charter draft and record
    const original = await relay.relay.read(meeting.name, (doc) => Y.encodeStateAsUpdate(doc));
    await relay.stop();

    const restoredDir = join(tempDir(), 'restored');
    const restore = await runCli(restoredDir, ['restore', '--from', backupDir, '--json']);
    expect(restore.stderr).toBe('');
    expect(JSON.parse(restore.stdout)).toEqual({ dataDir: restoredDir, documents, verified: true });
    expect(await hashesOf(restoredDir)).toEqual(await hashesOf(dataDir));

    // The restored server serves the same content to the same member, with the token issued before.
    const again = await startTestRelay({ dataDir: restoredDir });
    const reader = connectClient(again.wsUrl, meeting.name, { params: { token: created.token } });
    await waitSynced(reader);
    expect(reader.doc.getXmlFragment(MEETING_NOTES_ROOT).toString()).toContain('Written before the backup.');
    const fromStore = new Y.Doc();
    Y.applyUpdate(fromStore, original);
    expect(Y.encodeStateAsUpdate(reader.doc)).toEqual(Y.encodeStateAsUpdate(fromStore));
  });

  it('[C2] backup and restore refuse what would overwrite or mislead, with one clear line', async () => {
    const dataDir = tempDir();
    const relay = await startTestRelay({ dataDir });
    await relay.stop();
    const busy = tempDir();
    writeFileSync(join(busy, 'something'), 'x');
    const intoBusy = await runCli(dataDir, ['backup', '--to', busy]);
    expect(intoBusy.code).toBe(1);
    expect(intoBusy.stderr).toMatch(/^error: .* is not empty: back up into a new folder\n$/);

    const backupDir = join(tempDir(), 'b');
    expect((await runCli(dataDir, ['backup', '--to', backupDir])).code).toBe(0);
    const onto = await runCli(dataDir, ['restore', '--from', backupDir]);
    expect(onto.code).toBe(1);
    expect(onto.stderr).toMatch(/is not empty: restore into an empty one/);
    const notBackup = tempDir();
    mkdirSync(join(notBackup, 'x'));
    const bogus = await runCli(join(tempDir(), 'fresh'), ['restore', '--from', notBackup]);
    expect(bogus.stderr).toMatch(/not a Guildhall backup/);
    const pgTarget = join(tempDir(), 'p');
    const pg = await runCli(dataDir, ['backup', '--to', pgTarget], { DATABASE_URL: 'postgres://127.0.0.1/test' });
    expect(pg.stderr).toMatch(/pg_dump/);
    expect(existsSync(pgTarget)).toBe(false);
  });
});
