// The local stand-in for the publish function: tails DynamoDB Local's stream of the table through the same mapping
// and keeps the outbound events in memory (GET /_local/outbound).
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { eventsFromStreamRecord, OUTBOUND_SOURCE, streamChangeOf, type OutboundEvent, type StreamChange } from '../../lib/events/outbound.js';
import { localClient } from './table-setup.js';

/** An outbound event as an EventBridge rule target would receive it. */
export interface PublishedEvent {
  id: string;
  source: typeof OUTBOUND_SOURCE;
  'detail-type': OutboundEvent['detailType'];
  time: string;
  detail: OutboundEvent['detail'];
}

export interface StreamTail {
  /** The events published so far, oldest first (at most `capacity`). */
  events(): PublishedEvent[];
  /** Resolves once every change committed before the call has been handled (outbound events and `onChanges`). */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamTailOptions {
  endpoint: string;
  tableName: string;
  /**
   * Where the shards open at start are read from. LATEST (default): only changes committed after the tail started,
   * so restarting the server on an existing table does not replay its history (the demo data loaded last time).
   * TRIM_HORIZON: everything still in the stream (24 h). Shards that open later are always read from their start.
   */
  from?: 'LATEST' | 'TRIM_HORIZON';
  pollIntervalMs?: number;
  /** Oldest events are dropped beyond this many. */
  capacity?: number;
  /** How often the shard list is refreshed even when no shard closed (DynamoDB rolls shards over). */
  discoveryIntervalMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Also handed every batch of changes, in stream order per shard (the local stand-in for the `project` function: the
   * reach index of the lookups). A failure is reported and the batch is retried, as Lambda retries a stream batch.
   */
  onChanges?: (changes: StreamChange[]) => Promise<void>;
}

interface Reader {
  shardId: string;
  iterator: string | undefined;
  lastSequenceNumber?: string;
}

export async function startStreamTail(options: StreamTailOptions): Promise<StreamTail> {
  const { endpoint, tableName, from = 'LATEST', pollIntervalMs = 250, capacity = 10_000, discoveryIntervalMs = 5_000 } = options;
  const db = localClient(endpoint);
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const published: PublishedEvent[] = [];
  const readers = new Map<string, Reader>();
  /** Shards read to their end, or closed before a LATEST start: never read again. */
  const finished = new Set<string>();

  let lastError = '';
  const report = (error: unknown) => {
    // Once per distinct failure: a poll loop must not flood the console while DynamoDB is away.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (text === lastError) return;
    lastError = text;
    (options.onError ?? ((e) => console.error('outbound stream tail:', e)))(error);
  };

  const table = await db.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) {
    db.destroy();
    streams.destroy();
    throw new Error(`table ${tableName} has no stream`);
  }

  const iteratorFor = async (shardId: string, type: ShardIteratorType, sequenceNumber?: string) =>
    (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber })))
      .ShardIterator;

  const listShards = async () => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  };

  const discover = async (atStart: boolean) => {
    const shards = await listShards();
    const listed = new Set(shards.map((s) => s.ShardId!));
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (readers.has(shardId) || finished.has(shardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      if (atStart && from === 'LATEST') {
        if (closed) finished.add(shardId);
        else readers.set(shardId, { shardId, iterator: await iteratorFor(shardId, 'LATEST') });
        continue;
      }
      // A child shard holds later changes of the same items than its parent: read it once the parent is done.
      const parent = shard.ParentShardId;
      if (parent && listed.has(parent) && !finished.has(parent)) continue;
      readers.set(shardId, { shardId, iterator: await iteratorFor(shardId, 'TRIM_HORIZON') });
    }
  };

  /** Records handled so far (a pass that handled none found the tail idle). */
  let handled = 0;
  const publish = (events: PublishedEvent[]) => {
    published.push(...events);
    if (published.length > capacity) published.splice(0, published.length - capacity);
  };

  /** Reads a shard until it has nothing more for now; returns true when the shard ended (closed and drained). */
  const drain = async (reader: Reader): Promise<boolean> => {
    for (let round = 0; round < 20 && reader.iterator; round++) {
      let out;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: 1000 }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException) && !(error instanceof TrimmedDataAccessException)) throw error;
        reader.iterator =
          error instanceof ExpiredIteratorException && reader.lastSequenceNumber
            ? await iteratorFor(reader.shardId, 'AFTER_SEQUENCE_NUMBER', reader.lastSequenceNumber)
            : await iteratorFor(reader.shardId, 'TRIM_HORIZON');
        continue;
      }
      const records = out.Records ?? [];
      // Handled before the iterator moves on: a failure leaves the iterator here, so the batch is read again.
      if (options.onChanges && records.length > 0) await options.onChanges(records.map(streamChangeOf));
      for (const record of records) {
        const events = eventsFromStreamRecord(streamChangeOf(record));
        publish(
          events.map((e, i) => ({
            id: `${record.eventID ?? record.dynamodb?.SequenceNumber}-${i}`,
            source: OUTBOUND_SOURCE,
            'detail-type': e.detailType,
            time: e.detail.occurredAt,
            detail: e.detail,
          })),
        );
        if (record.dynamodb?.SequenceNumber) reader.lastSequenceNumber = record.dynamodb.SequenceNumber;
        handled++;
      }
      reader.iterator = out.NextShardIterator;
      if (!out.Records?.length) break;
    }
    return reader.iterator === undefined;
  };

  await discover(true);

  let stopped = false;
  let wake: (() => void) | undefined;
  /** Completed passes over every reader in which no reader had anything (the tail is idle). */
  let idlePasses = 0;
  let passes = 0;
  const loop = (async () => {
    let lastDiscovery = Date.now();
    let rediscover = false;
    while (!stopped) {
      try {
        if (rediscover || Date.now() - lastDiscovery >= discoveryIntervalMs) {
          await discover(false);
          lastDiscovery = Date.now();
          rediscover = false;
        }
        const before = published.length + handled;
        for (const reader of [...readers.values()]) {
          if (stopped) break;
          if (await drain(reader)) {
            readers.delete(reader.shardId);
            finished.add(reader.shardId);
            rediscover = true;
          }
        }
        passes++;
        if (published.length + handled === before && !rediscover) idlePasses = passes;
        lastError = '';
      } catch (error) {
        if (!stopped) report(error);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, rediscover ? 0 : pollIntervalMs).unref();
      });
    }
  })();

  return {
    events: () => [...published],
    async caughtUp() {
      // Two passes that start after this call and find nothing: everything committed before it has been read.
      const from = passes;
      for (let i = 0; i < 2_000; i++) {
        if (idlePasses > from + 1) return;
        wake?.();
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the stream tail did not catch up');
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      db.destroy();
      streams.destroy();
    },
  };
}
