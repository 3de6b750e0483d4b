// Strongly consistent reads of the table: single items, batches (any number of keys, one round trip) and paged queries.
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import type { Key } from './keys.js';
import { StoreUnavailable } from '../aws/unavailable.js';

export type Item = Record<string, unknown> & Key;
/** Any stored item shape (interfaces, without an index signature). */
export type AnyItem = object;

const MAX_BATCH_GET_KEYS = 100;

export const keyString = (k: Key) => `${k.pk}|${k.sk}`;

export async function getItem<T extends AnyItem>(db: Db, key: Key): Promise<T | undefined> {
  const out = await db.doc.get({ TableName: db.tableName, Key: key, ConsistentRead: true });
  return out.Item as T | undefined;
}

/**
 * Strongly consistent BatchGet of any number of keys: chunks of 100 sent in parallel (one sequential round trip),
 * unprocessed keys retried with backoff. Returns items by keyString.
 */
export async function batchGet(db: Db, keyList: readonly Key[]): Promise<Map<string, Item>> {
  const unique = new Map(keyList.map((k) => [keyString(k), { pk: k.pk, sk: k.sk }]));
  const result = new Map<string, Item>();
  const chunks: Key[][] = [];
  const all = [...unique.values()];
  for (let i = 0; i < all.length; i += MAX_BATCH_GET_KEYS) chunks.push(all.slice(i, i + MAX_BATCH_GET_KEYS));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Key[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        if (attempt > 8) throw new StoreUnavailable('throttled', 'BatchGet: unprocessed keys after retries');
        const out = await db.doc.batchGet({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } } });
        for (const item of out.Responses?.[db.tableName] ?? []) result.set(keyString(item as Key), item as Item);
        pending = (out.UnprocessedKeys?.[db.tableName]?.Keys as Key[] | undefined) ?? [];
      }
    }),
  );
  return result;
}

/** The items of `ids` among BatchGet results, by id (an id whose key was not found is absent). */
export function pickMany<Id, T>(items: ReadonlyMap<string, unknown>, ids: Iterable<Id>, keyOf: (id: Id) => Key): Map<Id, T> {
  const out = new Map<Id, T>();
  for (const id of ids) {
    const item = items.get(keyString(keyOf(id)));
    if (item !== undefined) out.set(id, item as T);
  }
  return out;
}

/** Items by id in one strongly consistent BatchGet (chunks of 100 in parallel), mapped back by the id of each key. */
export async function getMany<Id, T>(db: Db, ids: readonly Id[], keyOf: (id: Id) => Key): Promise<Map<Id, T>> {
  if (ids.length === 0) return new Map();
  return pickMany<Id, T>(await batchGet(db, ids.map(keyOf)), ids, keyOf);
}

/** Query every page (strongly consistent on the base table). */
export async function queryAll<T extends AnyItem>(db: Db, input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.query({
      TableName: db.tableName,
      ...(input.IndexName === undefined && { ConsistentRead: true }),
      ...input,
      ...(startKey && { ExclusiveStartKey: startKey }),
    });
    items.push(...((out.Items ?? []) as T[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** All items of one partition whose sort key starts with a prefix. */
export const queryPrefix = <T extends AnyItem>(db: Db, pk: string, skPrefix: string) =>
  queryAll<T>(db, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
  });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
