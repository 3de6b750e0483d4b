// Int32 ids handed out in blocks: unique under concurrency, positive, and the counter item written once per block
// (not once per creation: no hot key).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { allocateIds, ID_BLOCK } from '../../lib/store/counters.js';
import { getItem } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('crs-ids');
});

describe('allocateIds', () => {
  it('hands out 250 concurrent single ids and a block of 20, all distinct, writing the counter once per block', async () => {
    db.log.reset();
    const singles = await Promise.all(Array.from({ length: 250 }, () => allocateIds(db, 'contact')));
    const block = await allocateIds(db, 'contact', 20);
    const all = [...singles, ...Array.from({ length: 20 }, (_, i) => block + i)];
    expect(new Set(all).size).toBe(270);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(1);
    const counterWrites = db.log.commands.filter((c) => c === 'UpdateItemCommand').length;
    expect(counterWrites).toBe(Math.ceil(270 / ID_BLOCK));
    expect((await getItem<{ value: number }>(db, keys.counter('contact')))?.value).toBe(counterWrites * ID_BLOCK);
  });

  it('reserves a request larger than a block on its own, and counters are independent', async () => {
    const first = await allocateIds(db, 'membership', ID_BLOCK + 5);
    const next = await allocateIds(db, 'membership');
    expect(next).toBeGreaterThanOrEqual(first + ID_BLOCK + 5);
    expect(await allocateIds(db, 'group')).toBe(1);
  });
});
