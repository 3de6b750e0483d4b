// Publishing outbound events to EventBridge: one stream record's events in PutEvents calls of 10, re-sending only
// the entries EventBridge reports as failed, so an accepted entry is never sent twice by this code.
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { eventsFromStreamRecord, streamChangeOf, toPutEventsEntry } from './outbound.js';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_LIMIT = 10;

export type PutEvents = (entries: PutEventsRequestEntry[]) => Promise<Pick<PutEventsCommandOutput, 'FailedEntryCount' | 'Entries'>>;

export const putEventsWith = (client: EventBridgeClient): PutEvents => (entries) => client.send(new PutEventsCommand({ Entries: entries }));

/** The publisher of a deployed function: one EventBridge client per process (call at module scope). */
export const putEventsFromEnvironment = (): PutEvents => putEventsWith(new EventBridgeClient({}));

export class PublishError extends Error {
  constructor(readonly failures: { detailType: string | undefined; errorCode: string | undefined; errorMessage: string | undefined }[]) {
    super(`EventBridge rejected ${failures.length} entries: ${[...new Set(failures.map((f) => f.errorCode))].join(', ')}`);
    this.name = 'PublishError';
  }
}

export interface PublisherOptions {
  eventBusName: string;
  putEvents: PutEvents;
  /** Sends of the entries EventBridge reports as failed (throttling, internal errors) before the record fails. */
  maxAttempts?: number;
  /** First pause before re-sending failed entries; doubles per attempt. */
  retryDelayMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Returns a function publishing the outbound events of one stream record; it throws when they cannot all be sent. */
export function createRecordPublisher(options: PublisherOptions) {
  const { eventBusName, putEvents, maxAttempts = 4, retryDelayMs = 100 } = options;

  const sendChunk = async (chunk: PutEventsRequestEntry[]) => {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const out = await putEvents(pending);
      if (!out.FailedEntryCount) return;
      // Result entries are positional: the i-th answers the i-th request entry.
      const failed = pending.map((entry, i) => ({ entry, result: out.Entries?.[i] })).filter(({ result }) => !result || result.ErrorCode);
      if (attempt >= maxAttempts) {
        throw new PublishError(
          failed.map(({ entry, result }) => ({ detailType: entry.DetailType, errorCode: result?.ErrorCode, errorMessage: result?.ErrorMessage })),
        );
      }
      pending = failed.map(({ entry }) => entry);
      await pause(retryDelayMs * 2 ** (attempt - 1));
    }
  };

  return async (record: DynamoDBRecord): Promise<number> => {
    const entries = eventsFromStreamRecord(streamChangeOf(record)).map((e) => toPutEventsEntry(e, eventBusName));
    for (let i = 0; i < entries.length; i += PUT_EVENTS_LIMIT) await sendChunk(entries.slice(i, i + PUT_EVENTS_LIMIT));
    return entries.length;
  };
}
