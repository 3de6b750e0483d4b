// Atomic id allocation (int32) from counter items.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { keys } from './keys.js';
import { INT32_MAX } from '../schemas/common.js';

/** Reserves `count` consecutive ids and returns the first. Ids lost to a failed transaction leave gaps, never duplicates. */
export async function allocateIds(db: Db, counter: 'contact' | 'group' | 'membership', count = 1): Promise<number> {
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.counter(counter),
      UpdateExpression: 'ADD #v :n',
      ExpressionAttributeNames: { '#v': 'value' },
      ExpressionAttributeValues: { ':n': count },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const last = Number(out.Attributes?.value);
  if (!Number.isSafeInteger(last) || last > INT32_MAX) throw new Error(`counter ${counter} exhausted the int32 range`);
  return last - count + 1;
}
