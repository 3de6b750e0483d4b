// project: the table's stream → the reach index of the lookups (SPEC 5.6). A batch is projected as a whole
// (idempotent: a retried batch changes nothing it already changed); after its retries it lands in the failure queue.
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { streamChangeOf, type RawStreamRecord } from '../../lib/events/outbound.js';
import { projectChanges } from '../../lib/use-cases/reach-projection.js';
import { logger } from '../../lib/observability/logger.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';

export function createHandler(runtime: Pick<Runtime, 'db'>) {
  return async (event: DynamoDBStreamEvent) => {
    const changes = event.Records.map((r) => streamChangeOf(r as RawStreamRecord));
    const stats = await projectChanges(runtime.db, changes);
    logger.debug('projected', { ...stats });
  };
}

export const handler = createHandler(createRuntime());
