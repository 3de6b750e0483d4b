// ingest: inbound events from SQS (partial batch failures), a direct EventBridge event, or a direct array (SPEC 6).
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { ingestEvent, type IngestResult } from '../../lib/use-cases/ingest/index.js';
import { logger } from '../../lib/observability/logger.js';
import { metrics, metricsEnabled, MetricUnit } from '../../lib/observability/metrics.js';
import { inInvocation } from '../../lib/aws/deadline.js';
import { unavailabilityOf } from '../../lib/aws/unavailable.js';

const isSqsEvent = (input: unknown): input is SQSEvent =>
  typeof input === 'object' && input !== null && Array.isArray((input as SQSEvent).Records) &&
  (input as SQSEvent).Records.every((r) => r?.eventSource === 'aws:sqs');

function logResult(result: IngestResult) {
  if (result.status === 'rejected') logger.warn('event rejected', { ...result });
  else logger.info('event processed', { ...result });
  // Applied / ignored / rejected counts: a rise of rejections shows an upstream contract problem before the DLQ does.
  if (metricsEnabled()) metrics.addMetric(`Events${result.status[0]!.toUpperCase()}${result.status.slice(1)}`, MetricUnit.Count, 1);
}

export function createHandler(runtime: Runtime) {
  const apply = async (raw: unknown, fallbackId: string) => {
    // The event id is the correlation id of everything the event does: every log line and every item written.
    const eventId = (raw as { id?: unknown } | null)?.id;
    logger.appendKeys({ correlationId: typeof eventId === 'string' && eventId ? eventId : fallbackId });
    const result = await ingestEvent(runtime.db, raw, fallbackId);
    logResult(result);
    return result;
  };

  /** An SQS message: a rejected event fails the record, so it is retried and then lands in the DLQ with its reason logged. */
  const recordHandler = async (record: SQSRecord) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      logger.warn('event rejected', { id: record.messageId, reason: 'message body is not JSON' });
      throw new Error('message body is not JSON');
    }
    let result: IngestResult;
    try {
      result = await apply(body, record.messageId);
    } catch (error) {
      // Transient (DynamoDB throttled, unavailable or slow; a reorganisation in flight): SQS delivers it again.
      const e = error as { name?: string; message?: string };
      logger.warn('event failed; it will be retried', { id: record.messageId, error: e?.name, detail: e?.message, unavailable: unavailabilityOf(error) });
      throw error;
    }
    if (result.status === 'rejected') throw new Error(`rejected: ${result.reason}`);
    return result;
  };

  return async (input: unknown, context?: Context) => {
    try {
      // Records still waiting when the invocation nears its timeout fail alone (and are redelivered), not the batch.
      return await inInvocation(context, () => dispatch(input, context));
    } finally {
      if (metricsEnabled()) metrics.publishStoredMetrics();
    }
  };

  async function dispatch(input: unknown, context?: Context) {
    if (isSqsEvent(input)) {
      const processor = new BatchProcessor(EventType.SQS);
      // In order: reordering is harmless (versions), but in-order keeps conflicts between related events rare.
      return processPartialResponse(input, recordHandler, processor, { context: context as Context, processInParallel: false });
    }
    const events = Array.isArray(input) ? input : [input];
    const results: IngestResult[] = [];
    for (const [index, raw] of events.entries()) results.push(await apply(raw, `direct-${index}`));
    return { results };
  }
}

export const handler = createHandler(createRuntime());
