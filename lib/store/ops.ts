// Low-level table operations: consistent batch reads, paged queries, transactions with conflict detection and retry.
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import type { Key } from './keys.js';
import { ConflictError } from '../domain/errors.js';
import { StoreUnavailable } from '../aws/unavailable.js';
import { currentCorrelationId } from '../observability/correlation.js';

export type Item = Record<string, unknown> & Key;
/** Any stored item shape (interfaces, without an index signature). */
export type AnyItem = object;
export type Values = Record<string, unknown>;
export type Names = Record<string, string>;

/** One action of a transaction (TableName is added on commit). */
export type WriteAction =
  | { Put: { Item: AnyItem; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values } }
  | {
      Update: {
        Key: Key;
        UpdateExpression: string;
        ConditionExpression?: string;
        ExpressionAttributeNames?: Names;
        ExpressionAttributeValues?: Values;
      };
    }
  | { Delete: { Key: Key; ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values } }
  | { ConditionCheck: { Key: Key; ConditionExpression: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values } };

/** DynamoDB's limit of actions per TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;
const MAX_BATCH_GET_KEYS = 100;

export const keyString = (k: Key) => `${k.pk}|${k.sk}`;

/** A write lost a race (condition failed or transaction conflict): re-read and try again. */
export class StoreConflict extends Error {
  constructor(readonly reasons: readonly (string | undefined)[] = []) {
    super(`store conflict: ${reasons.join(',')}`);
    this.name = 'StoreConflict';
  }
}

export const cond = {
  /** The item must not exist yet. */
  absent: (): Condition => ({ ConditionExpression: 'attribute_not_exists(pk)' }),
  /** Optimistic lock on a numeric attribute; `undefined` means the item must not exist. */
  versionIs: (expected: number | undefined, attribute = 'version'): Condition =>
    expected === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: `#cv_${attribute} = :cv_${attribute}`,
          ExpressionAttributeNames: { [`#cv_${attribute}`]: attribute },
          ExpressionAttributeValues: { [`:cv_${attribute}`]: expected },
        },
  exists: (): Condition => ({ ConditionExpression: 'attribute_exists(pk)' }),
  /**
   * The item exists at internal revision `rev` (an item written before revisions existed counts as 0);
   * `undefined` means the item must not exist.
   */
  revIs: (rev: number | undefined): Condition =>
    rev === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : rev === 0
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#cv_rev)', ExpressionAttributeNames: { '#cv_rev': 'rev' } }
        : { ConditionExpression: '#cv_rev = :cv_rev', ExpressionAttributeNames: { '#cv_rev': 'rev' }, ExpressionAttributeValues: { ':cv_rev': rev } },
};

/** Merges two condition fragments with AND (names and values must not clash). */
export function andConditions(a: Condition, b: Condition): Condition {
  return {
    ConditionExpression: `(${a.ConditionExpression}) AND (${b.ConditionExpression})`,
    ExpressionAttributeNames: { ...a.ExpressionAttributeNames, ...b.ExpressionAttributeNames },
    ExpressionAttributeValues: { ...a.ExpressionAttributeValues, ...b.ExpressionAttributeValues },
  };
}

export async function getItem<T extends AnyItem>(db: Db, key: Key): Promise<T | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
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
        const out = await db.doc.send(
          new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
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
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        ...(input.IndexName === undefined && { ConsistentRead: true }),
        ...input,
        ...(startKey && { ExclusiveStartKey: startKey }),
      }),
    );
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

const RETRIABLE_REASONS = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/** Commits actions atomically. Throws StoreConflict when a condition fails or a concurrent transaction interferes. */
export async function transact(db: Db, actions: readonly WriteAction[]): Promise<void> {
  if (actions.length === 0) return;
  if (actions.length > MAX_TRANSACTION_ACTIONS) {
    throw new Error(`transaction of ${actions.length} actions exceeds ${MAX_TRANSACTION_ACTIONS}`);
  }
  const correlationId = currentCorrelationId();
  const TransactItems = actions.map((a) => {
    const [kind, body] = Object.entries(stampCorrelation(a, correlationId))[0] as [string, Record<string, unknown>];
    return { [kind]: { TableName: db.tableName, ...body } };
  });
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: TransactItems as never }));
  } catch (error) {
    throw translateWriteError(error);
  }
}

/**
 * One conditional write on its own (a plain PutItem / UpdateItem / DeleteItem: half the write capacity of the same
 * action in a transaction). Throws StoreConflict when its condition fails.
 */
export async function writeOne(db: Db, action: Exclude<WriteAction, { ConditionCheck: unknown }>): Promise<void> {
  const stamped = stampCorrelation(action, currentCorrelationId());
  try {
    if ('Put' in stamped) await db.doc.send(new PutCommand({ TableName: db.tableName, ...stamped.Put, Item: stamped.Put.Item as Record<string, unknown> }));
    else if ('Update' in stamped) await db.doc.send(new UpdateCommand({ TableName: db.tableName, ...stamped.Update }));
    else if ('Delete' in stamped) await db.doc.send(new DeleteCommand({ TableName: db.tableName, ...stamped.Delete }));
  } catch (error) {
    throw translateWriteError(error);
  }
}

/**
 * Every item a change writes carries the correlation id of the request or event that made it, so the outbound
 * events published from the stream can name it.
 */
function stampCorrelation(action: WriteAction, correlationId: string | undefined): WriteAction {
  if (!correlationId) return action;
  if ('Put' in action) return { Put: { ...action.Put, Item: { ...action.Put.Item, correlationId } } };
  if ('Update' in action) {
    const u = action.Update;
    const expression = /\bSET\b/.test(u.UpdateExpression)
      ? u.UpdateExpression.replace(/\bSET\b/, 'SET #corr = :corr,')
      : `SET #corr = :corr ${u.UpdateExpression}`;
    return {
      Update: {
        ...u,
        UpdateExpression: expression,
        ExpressionAttributeNames: { ...u.ExpressionAttributeNames, '#corr': 'correlationId' },
        ExpressionAttributeValues: { ...u.ExpressionAttributeValues, ':corr': correlationId },
      },
    };
  }
  return action;
}

export function translateWriteError(error: unknown): unknown {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name === 'TransactionCanceledException') {
    const reasons = (e.CancellationReasons ?? []).map((r) => (r?.Code && r.Code !== 'None' ? r.Code : undefined));
    if (reasons.some((r) => r && RETRIABLE_REASONS.has(r))) return new StoreConflict(reasons);
  }
  if (e?.name === 'ConditionalCheckFailedException' || e?.name === 'TransactionConflictException') {
    return new StoreConflict([e.name]);
  }
  return error;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Optimistic concurrency: run read → decide → conditional write; when the write loses a race, run it again on
 * the new state (full-jitter backoff, at most 250 ms a pause, so 20 writers racing on one item all get through in
 * well under a second each). After `attempts` lost races the caller gets 409 Conflict (SPEC 5 conventions).
 */
export async function retryOnConflict<T>(operation: (attempt: number) => Promise<T>, attempts = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
      if (attempt >= attempts) throw new ConflictError('ConcurrentModification');
      await sleep(Math.random() * Math.min(250, 10 * 2 ** attempt));
    }
  }
}

/** An unconditional row of a superset index: written by BatchWriteItem when it cannot join the transaction. */
export type IndexRow = { put: AnyItem } | { delete: Key };

const indexRowAction = (row: IndexRow): WriteAction => ('put' in row ? putAction(row.put) : deleteAction(row.delete));

/** Runs `work` over the items, at most `concurrency` at a time. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Every worker settles before the first failure is thrown: no write is still in flight once the caller sees it
  // (a caller undoing what was done, like a reorganisation releasing its locks, must not race with one).
  const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * Unconditional puts/deletes in BatchWriteItem requests of 25, unprocessed items retried. Chunks are written at most
 * BATCH_WRITE_CONCURRENCY at a time: one parallel round up to 400 rows (a change's index
 * rows), and a bulk write (a migration's million rows) never queues more requests than the client's sockets can take
 * (a queued request counts against the SDK's timeouts).
 */
const BATCH_WRITE_CONCURRENCY = 16;

export async function batchWrite(db: Db, rows: readonly IndexRow[]): Promise<void> {
  await forEachConcurrently(
    chunked(rows, 25),
    BATCH_WRITE_CONCURRENCY,
    async (chunk) => {
      let pending = chunk.map((row) => ('put' in row ? { PutRequest: { Item: row.put as Record<string, unknown> } } : { DeleteRequest: { Key: { pk: row.delete.pk, sk: row.delete.sk } } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        if (attempt > 8) throw new StoreUnavailable('throttled', 'BatchWrite: unprocessed items after retries');
        const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
        pending = (out.UnprocessedItems?.[db.tableName] as typeof pending | undefined) ?? [];
      }
    },
  );
}

/**
 * A change that may be larger than one transaction, kept all-or-nothing for readers. `commit` holds the truth and is
 * always one transaction. `before` (conditioned index updates) and `indexBefore` (unconditional index rows) only add
 * to superset indexes that readers verify against the truth; `after` and `indexAfter` only remove from them. Up to
 * 100 actions everything is one transaction; above, the index rows go by BatchWriteItem (cheaper than transactions,
 * one parallel round), conditioned updates by transactions of up to 100, and the truth commits alone.
 */
export async function commitChange(
  db: Db,
  change: { before?: WriteAction[]; indexBefore?: IndexRow[]; commit: WriteAction[]; after?: WriteAction[]; indexAfter?: IndexRow[] },
): Promise<{ transactions: number }> {
  const before = change.before ?? [];
  const after = change.after ?? [];
  const indexBefore = change.indexBefore ?? [];
  const indexAfter = change.indexAfter ?? [];
  const total = before.length + indexBefore.length + change.commit.length + after.length + indexAfter.length;
  if (total <= MAX_TRANSACTION_ACTIONS) {
    await transact(db, [...indexBefore.map(indexRowAction), ...before, ...change.commit, ...after, ...indexAfter.map(indexRowAction)]);
    return { transactions: 1 };
  }
  let transactions = 0;
  await batchWrite(db, indexBefore);
  for (const chunk of chunked(before, MAX_TRANSACTION_ACTIONS)) {
    await transact(db, chunk);
    transactions++;
  }
  await transact(db, change.commit);
  transactions++;
  // Post-commit index clean-up: a failure here leaves only rows that readers filter out.
  for (const chunk of chunked(after, MAX_TRANSACTION_ACTIONS)) {
    await transact(db, chunk).catch(() => undefined);
    transactions++;
  }
  await batchWrite(db, indexAfter).catch(() => undefined);
  return { transactions };
}

export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Values;
}

/**
 * Builds an Update action from paths (arrays of attribute names, e.g. ['assignees', '17']) without hand-written
 * placeholders: `set` assigns, `increment` adds to a number (missing counts as 0), `remove` deletes.
 */
export function updateAction(
  key: Key,
  spec: {
    set?: readonly (readonly [readonly string[], unknown])[];
    increment?: readonly (readonly [readonly string[], number])[];
    remove?: readonly (readonly string[])[];
    condition?: Condition;
  },
): WriteAction {
  const names: Names = { ...spec.condition?.ExpressionAttributeNames };
  const values: Values = { ...spec.condition?.ExpressionAttributeValues };
  const nameIds = new Map<string, string>();
  const nameOf = (segment: string) => {
    let placeholder = nameIds.get(segment);
    if (!placeholder) {
      placeholder = `#u${nameIds.size}`;
      nameIds.set(segment, placeholder);
      names[placeholder] = segment;
    }
    return placeholder;
  };
  let valueCount = 0;
  const valueOf = (value: unknown) => {
    const placeholder = `:u${valueCount++}`;
    values[placeholder] = value;
    return placeholder;
  };
  const pathOf = (path: readonly string[]) => path.map(nameOf).join('.');
  const sets = [
    ...(spec.set ?? []).map(([path, value]) => `${pathOf(path)} = ${valueOf(value)}`),
    ...(spec.increment ?? []).map(([path, delta]) => {
      const p = pathOf(path);
      return `${p} = if_not_exists(${p}, ${valueOf(0)}) + ${valueOf(delta)}`;
    }),
  ];
  const removes = (spec.remove ?? []).map(pathOf);
  const clauses = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  if (!clauses) throw new Error('updateAction without any change');
  return {
    Update: {
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: clauses,
      ...(spec.condition && { ConditionExpression: spec.condition.ConditionExpression }),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
    },
  };
}

export const putAction = (item: AnyItem, condition?: Condition): WriteAction => ({ Put: { Item: item, ...condition } });
export const deleteAction = (key: Key, condition?: Condition): WriteAction => ({ Delete: { Key: { pk: key.pk, sk: key.sk }, ...condition } });
export const checkAction = (key: Key, condition: Condition): WriteAction => ({ ConditionCheck: { Key: { pk: key.pk, sk: key.sk }, ...condition } });
