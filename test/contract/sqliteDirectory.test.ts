import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDirectory } from '../../server/directory/sqliteDirectory.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { directoryContract } from './directory.contract.ts';

directoryContract('SqliteDirectory (file in a temp dir)', async (now) => {
  const path = join(tempDir(), 'directory.sqlite');
  return {
    directory: new SqliteDirectory(path, now),
    another: async () => new SqliteDirectory(path, now),
    // The database and its write-ahead log, where fresh rows sit until a checkpoint.
    storedText: async () => [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('\n'),
  };
});
