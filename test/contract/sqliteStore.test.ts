import { join } from 'node:path';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { storeContract } from './store.contract.ts';

storeContract('SqliteStore (file in a temp dir)', async () => {
  const path = join(tempDir(), 'guildhall.sqlite');
  let current = new SqliteStore(path);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = new SqliteStore(path);
      return current;
    },
  };
});
