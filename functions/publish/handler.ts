// publish: the table's stream → outbound change events on the service's EventBridge bus (SPEC 6 "Outbound").
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { eventsFromStreamRecord, streamChangeOf, toPutEventsEntry } from '../../lib/events/outbound.js';
import { logger } from '../../lib/observability/logger.js';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_LIMIT = 10;

export type PutEvents = (entries: PutEventsRequestEntry[]) => Promise<Pick<PutEventsCommandOutput, 'FailedEntryCount' | 'Entries'>>;

export interface PublishOptions {
  eventBusName: string;
  putEvents: PutEvents;
  /** Sends of the entries EventBridge reports as failed (throttling, internal errors) before the record fails. */
  maxAttempts?: number;
  /** First pause before re-sending failed entries; doubles per attempt. */
  retryDelayMs?: number;
}

export const putEventsWith = (client: EventBridgeClient): PutEvents => (entries) => client.send(new PutEventsCommand({ Entries: entries }));

export class PublishError extends Error {
  constructor(readonly failures: { detailType: string | undefined; errorCode: string | undefined; errorMessage: string | undefined }[]) {
    super(`EventBridge rejected ${failures.length} entries: ${[...new Set(failures.map((f) => f.errorCode))].join(', ')}`);
    this.name = 'PublishError';
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createHandler(options: PublishOptions) {
  const { eventBusName, putEvents, maxAttempts = 4, retryDelayMs = 100 } = options;

  /** Sends one chunk; entries that failed are sent again (only those), so an accepted entry is not duplicated. */
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

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    if (!eventBusName) throw new Error('EVENT_BUS_NAME is not set');
    // After a failed record the stream resumes from it anyway: publishing later records now would only duplicate
    // them and reorder the changes of an item, so they fail unsent.
    let failedEarlier = false;
    const recordHandler = async (record: DynamoDBRecord) => {
      if (failedEarlier) throw new Error('not published: an earlier record of this batch failed');
      try {
        const events = eventsFromStreamRecord(streamChangeOf(record));
        const entries = events.map((e) => toPutEventsEntry(e, eventBusName));
        for (let i = 0; i < entries.length; i += PUT_EVENTS_LIMIT) await sendChunk(entries.slice(i, i + PUT_EVENTS_LIMIT));
        return entries.length;
      } catch (error) {
        failedEarlier = true;
        logger.error('stream record not published', { sequenceNumber: record.dynamodb?.SequenceNumber, eventID: record.eventID, error: error as Error });
        throw error;
      }
    };
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(event, recordHandler, processor, { context: context as Context, processInParallel: false });
  };
}

const eventBridge = new EventBridgeClient({});

export const handler = createHandler({ eventBusName: process.env.EVENT_BUS_NAME ?? '', putEvents: putEventsWith(eventBridge) });
