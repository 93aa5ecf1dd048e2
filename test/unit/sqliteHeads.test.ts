import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/storage/sqliteStore.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('SqliteStore sequence heads', () => {
  it('recovers when another process appended to the same file: one failed batch, then gap-free again', async () => {
    const path = join(tempDir(), 'shared.sqlite');
    const first = new SqliteStore(path);
    const second = new SqliteStore(path);
    const update = Uint8Array.of(0, 0);
    expect(await first.append([{ doc: 'd', update }])).toEqual([1]);
    expect(await second.append([{ doc: 'd', update }])).toEqual([2]); // reads head 1 from disk
    await expect(first.append([{ doc: 'd', update }])).rejects.toThrow(); // its cached head is stale
    expect(await first.append([{ doc: 'd', update }])).toEqual([3]);
    expect((await first.readSince('d', 0)).map((row) => row.seq)).toEqual([1, 2, 3]);
    await first.close();
    await second.close();
  });
});
