// Writes: transaction actions, conditional transactions and single writes, batch writes of index rows, changes larger
// than one transaction, and the retry of a change that lost a race.
import type { Db } from './client.js';
import type { Key } from './keys.js';
import type { Condition, Names, Values } from './expressions.js';
import { sleep, type AnyItem } from './reads.js';
import { ConflictError } from '../domain/errors.js';
import { StoreUnavailable } from '../aws/unavailable.js';
import { currentCorrelationId } from '../observability/correlation.js';

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

declare const made: unique symbol;
/** An action made by the builders below (putAction, updateAction, deleteAction, checkAction): what plans are made of. */
export type Action<A extends WriteAction = WriteAction> = A & { readonly [made]: true };
const asAction = <A extends WriteAction>(action: A) => action as Action<A>;

/** DynamoDB's limit of actions per TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/** A change of `actions` actions commits as one transaction. */
export const fitsOneTransaction = (actions: number) => actions <= MAX_TRANSACTION_ACTIONS;
/** A write lost a race (condition failed or transaction conflict): re-read and try again. */
export class StoreConflict extends Error {
  constructor(readonly reasons: readonly (string | undefined)[] = []) {
    super(`store conflict: ${reasons.join(',')}`);
    this.name = 'StoreConflict';
  }
}

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
    await db.doc.transactWrite({ TransactItems: TransactItems as never });
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
    if ('Put' in stamped) await db.doc.put({ TableName: db.tableName, ...stamped.Put, Item: stamped.Put.Item as Record<string, unknown> });
    else if ('Update' in stamped) await db.doc.update({ TableName: db.tableName, ...stamped.Update });
    else if ('Delete' in stamped) await db.doc.delete({ TableName: db.tableName, ...stamped.Delete });
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
        const out = await db.doc.batchWrite({ RequestItems: { [db.tableName]: pending } });
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
  change: {
    before?: readonly WriteAction[];
    indexBefore?: readonly IndexRow[];
    commit: readonly WriteAction[];
    after?: readonly WriteAction[];
    indexAfter?: readonly IndexRow[];
  },
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
): Action<Extract<WriteAction, { Update: unknown }>> {
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
  return asAction({
    Update: {
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: clauses,
      ...(spec.condition && { ConditionExpression: spec.condition.ConditionExpression }),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
    },
  });
}

export const putAction = (item: AnyItem, condition?: Condition): Action => asAction({ Put: { Item: item, ...condition } });
export const deleteAction = (key: Key, condition?: Condition): Action => asAction({ Delete: { Key: { pk: key.pk, sk: key.sk }, ...condition } });
export const checkAction = (key: Key, condition: Condition): Action => asAction({ ConditionCheck: { Key: { pk: key.pk, sk: key.sk }, ...condition } });
