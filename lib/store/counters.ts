// Int32 id allocation from counter items, handed out in blocks.
//
// A process reserves ID_BLOCK consecutive ids with one atomic ADD and hands them out itself, so the counter item is
// written once per ID_BLOCK creations instead of once per creation (no hot key: at DynamoDB's 1,000 writes/s per
// item the ceiling is ~100,000 creations/s). Ids stay unique (every block is reserved atomically) and positive int32;
// a process that ends leaves the rest of its block unused (gaps, never duplicates).
import type { Db } from './client.js';
import { keys } from './keys.js';
import { INT32_MAX } from '../domain/ids.js';

export type CounterName = 'contact' | 'group' | 'membership';

/** Ids reserved per counter write. */
export const ID_BLOCK = 100;

interface Block {
  next: number;
  last: number;
}

/** Blocks of this process, per table and counter. */
const blocks = new Map<string, Block>();
const refills = new Map<string, Promise<void>>();

/** Reserves `count` consecutive ids and returns the first. */
export async function allocateIds(db: Db, counter: CounterName, count = 1): Promise<number> {
  if (count > ID_BLOCK) return reserve(db, counter, count);
  const key = `${db.tableName}#${counter}`;
  for (;;) {
    const block = blocks.get(key);
    if (block && block.last - block.next + 1 >= count) {
      const first = block.next;
      block.next += count;
      return first;
    }
    // One refill at a time per counter: concurrent requests of this process share it.
    let refill = refills.get(key);
    if (!refill) {
      refill = reserve(db, counter, ID_BLOCK)
        .then((first) => {
          blocks.set(key, { next: first, last: first + ID_BLOCK - 1 });
        })
        .finally(() => refills.delete(key));
      refills.set(key, refill);
    }
    await refill;
  }
}

/** One atomic ADD on the counter item: ids `[result, result + count)` belong to the caller alone. */
async function reserve(db: Db, counter: CounterName, count: number): Promise<number> {
  const out = await db.doc.update({
    TableName: db.tableName,
    Key: keys.counter(counter),
    UpdateExpression: 'ADD #v :n',
    ExpressionAttributeNames: { '#v': 'value' },
    ExpressionAttributeValues: { ':n': count },
    ReturnValues: 'UPDATED_NEW',
  });
  const last = Number(out.Attributes?.value);
  if (!Number.isSafeInteger(last) || last > INT32_MAX) throw new Error(`counter ${counter} exhausted the int32 range`);
  return last - count + 1;
}
