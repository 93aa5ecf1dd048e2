import { PgStore } from '../../server/storage/pgStore.ts';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { storeContract } from './store.contract.ts';

storeContract('PgStore (real PostgreSQL, fresh schema)', async () => {
  const schema = freshSchema();
  let current = await PgStore.open(TEST_DATABASE_URL, { schema });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await PgStore.open(TEST_DATABASE_URL, { schema });
      return current;
    },
  };
});
