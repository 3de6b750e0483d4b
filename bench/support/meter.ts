// What one operation costs on DynamoDB's own terms: requests, sequential round trips, read and write capacity units
// (asked of DynamoDB with ReturnConsumedCapacity: TOTAL on every request), and the size of the largest item read or
// written (computed by DynamoDB's sizing rules: attribute names plus values).
import type { Db } from '../../lib/store/client.js';
import { attachRequestLog } from '../../lib/store/request-log.js';

export interface Cost {
  requests: number;
  rounds: number;
  rcu: number;
  wcu: number;
  /** Largest item in bytes, and its key. */
  largestRead: { bytes: number; key: string };
  largestWritten: { bytes: number; key: string };
  failedWrites: number;
}

type Item = Record<string, unknown>;
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

/** DynamoDB's item size: the UTF-8 length of every attribute name plus its value's size (numbers ~ digits/2 + 1). */
export function itemSize(item: Item): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueSize(value);
  return bytes;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((n, [k, v]) => n + Buffer.byteLength(k) + 1 + valueSize(v), 0);
  return 0;
}

const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;

export interface Meter {
  measure<T>(run: () => Promise<T>): Promise<{ result: T; cost: Cost; ms: number }>;
}

/**
 * Attaches to a Db: every request asks for its consumed capacity; items read are sized from the responses, items
 * written from the requests (a Put) or, for updates, by reading them back afterwards (outside the measure).
 */
export function attachMeter(db: Db, readBack: (keys: { pk: string; sk: string }[]) => Promise<Item[]>): Meter {
  const log = attachRequestLog(db);
  let active: { rcu: number; wcu: number; reads: Item[]; written: Item[]; updated: Map<string, { pk: string; sk: string }>; failed: number } | undefined;
  db.doc.use(async (request, next) => {
    const name = request.operation;
    const sink = active;
    const input = (sink && name !== 'ScanCommand' ? { ...request.input, ReturnConsumedCapacity: 'TOTAL' } : request.input) as Record<string, unknown>;
    let o: Record<string, unknown>;
    try {
      o = (await next({ operation: name, input } as typeof request)) as Record<string, unknown>;
    } catch (error) {
      if (sink && WRITES.has(name)) sink.failed++;
      throw error;
    }
    if (sink) {
      const consumed = o.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      if (WRITES.has(name)) sink.wcu += units;
      else sink.rcu += units;
      if (o.Item) sink.reads.push(o.Item as Item);
      for (const items of Object.values((o.Responses as Record<string, Item[]> | undefined) ?? {})) sink.reads.push(...items);
      if (Array.isArray(o.Items)) sink.reads.push(...(o.Items as Item[]));
      collectWrites(name, input, sink);
    }
    return o as never;
  });
  return {
    async measure(run) {
      const sink = { rcu: 0, wcu: 0, reads: [] as Item[], written: [] as Item[], updated: new Map<string, { pk: string; sk: string }>(), failed: 0 };
      active = sink;
      log.reset();
      const started = performance.now();
      let result;
      try {
        result = await run();
      } finally {
        active = undefined;
      }
      const ms = performance.now() - started;
      const rounds = log.rounds();
      const requests = log.commands.length;
      const updated = sink.updated.size > 0 ? await readBack([...sink.updated.values()]) : [];
      const largest = (items: Item[]) =>
        items.reduce<{ bytes: number; key: string }>((best, item) => {
          const bytes = itemSize(item);
          return bytes > best.bytes ? { bytes, key: keyOf(item) } : best;
        }, { bytes: 0, key: '-' });
      return {
        result,
        ms,
        cost: { requests, rounds, rcu: sink.rcu, wcu: sink.wcu, largestRead: largest(sink.reads), largestWritten: largest([...sink.written, ...updated]), failedWrites: sink.failed },
      };
    },
  };
}

function collectWrites(name: string, input: Record<string, unknown>, sink: { written: Item[]; updated: Map<string, { pk: string; sk: string }> }) {
  const update = (key: { pk: string; sk: string }) => sink.updated.set(keyOf(key), { pk: key.pk, sk: key.sk });
  if (name === 'PutItemCommand') sink.written.push(input.Item as Item);
  if (name === 'UpdateItemCommand') update(input.Key as { pk: string; sk: string });
  if (name === 'TransactWriteItemsCommand') {
    for (const action of input.TransactItems as Record<string, { Item?: Item; Key?: { pk: string; sk: string } }>[]) {
      if (action.Put?.Item) sink.written.push(action.Put.Item);
      if (action.Update?.Key) update(action.Update.Key);
    }
  }
  if (name === 'BatchWriteItemCommand') {
    for (const requests of Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Item } }[]>)) {
      for (const r of requests) if (r.PutRequest) sink.written.push(r.PutRequest.Item);
    }
  }
}
