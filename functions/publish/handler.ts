// publish: the table's stream → outbound change events on the service's EventBridge bus (SPEC 6 "Outbound").
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { createRecordPublisher, putEventsFromEnvironment, type PublisherOptions } from '../../lib/events/publisher.js';
import { logger } from '../../lib/observability/logger.js';

export function createHandler(options: PublisherOptions) {
  const publishRecord = createRecordPublisher(options);
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    if (!options.eventBusName) throw new Error('EVENT_BUS_NAME is not set');
    // After a failed record the stream resumes from it anyway: publishing later records now would only duplicate
    // them and reorder the changes of an item, so they fail unsent.
    let failedEarlier = false;
    const recordHandler = async (record: DynamoDBRecord) => {
      if (failedEarlier) throw new Error('not published: an earlier record of this batch failed');
      try {
        return await publishRecord(record);
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

export const handler = createHandler({ eventBusName: process.env.EVENT_BUS_NAME ?? '', putEvents: putEventsFromEnvironment() });
