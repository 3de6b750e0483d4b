// Ingestion under faults, through the ingest function's SQS door with SQS's redelivery played out (5 receives, then
// the dead-letter queue): a transient failure (DynamoDB throttling) fails only its record and applies when delivered
// again; a poison event fails every receive and ends in the DLQ with its reason logged; records still waiting when the
// invocation nears its timeout fail alone; a replay of everything changes nothing.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SQSEvent, SQSRecord, Context } from 'aws-lambda';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, uidOf } from '../support/events.js';
import { snapshot } from '../support/snapshot.js';
import { throttled, withFaults } from '../support/faults.js';
import { createHandler } from '../../functions/ingest/handler.js';
import { loadSettings } from '../../lib/config.js';
import { logger } from '../../lib/observability/logger.js';
import { getUidAlias } from '../../lib/store/contacts.js';
import { getMember } from '../../lib/store/members.js';
import { SDK_TIMEOUTS, deadlineMargin } from '../../lib/aws/deadline.js';
import { INGEST_MAX_RECEIVE_COUNT } from '../../infra/stacks/events-stack.js';
import type { Db } from '../../lib/store/client.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('crs-ingest-faults');
});
afterEach(() => vi.restoreAllMocks());

const record = (id: string, event: unknown): SQSRecord => ({
  messageId: id,
  receiptHandle: 'r',
  body: typeof event === 'string' ? event : JSON.stringify(event),
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:ingest',
  awsRegion: 'eu-central-1',
});

/**
 * SQS and the event source mapping: every message is received until its record succeeds, at most
 * INGEST_MAX_RECEIVE_COUNT times; then it is moved to the DLQ. Returns the receives per message and the DLQ.
 */
async function deliver(base: Db, messages: Record<string, unknown>, context?: Partial<Context>) {
  const ingest = createHandler({ settings: { ...loadSettings({}), tableName: db.tableName }, db: base });
  const receives: Record<string, number> = {};
  const dlq: string[] = [];
  let queue = Object.keys(messages);
  while (queue.length > 0) {
    for (const id of queue) receives[id] = (receives[id] ?? 0) + 1;
    const batch: SQSEvent = { Records: queue.map((id) => record(id, messages[id])) };
    let failed: string[];
    try {
      const out = (await ingest(batch, context as Context)) as { batchItemFailures: { itemIdentifier: string }[] };
      failed = out.batchItemFailures.map((f) => f.itemIdentifier);
    } catch {
      failed = queue; // the whole batch failed: every message is received again
    }
    for (const id of failed.filter((f) => receives[f]! >= INGEST_MAX_RECEIVE_COUNT)) dlq.push(id);
    queue = failed.filter((f) => receives[f]! < INGEST_MAX_RECEIVE_COUNT);
  }
  return { receives, dlq };
}

describe('ingest under faults', () => {
  it('retries a transient failure, dead-letters a poison event with its reason, and a replay changes nothing', async () => {
    const warnings = vi.spyOn(logger, 'warn');
    // DynamoDB throttles the first two writes of contact 2's event (after the SDK's own retries).
    let throttles = 2;
    const flaky = withFaults(db, (c) => (JSON.stringify(c.input).includes(uidOf(7002)) && c.input.TransactItems && throttles-- > 0 ? throttled() : undefined));
    const messages = {
      'm-1': ev.contactUpserted({ contactUid: uidOf(7001), version: 1 }),
      'm-2': ev.contactUpserted({ contactUid: uidOf(7002), version: 1 }),
      'm-3': ev.memberUpserted({ memberId: 7003, parentMemberId: 7003, version: 1 }), // its own parent: can never apply
      'm-4': 'not json',
    };
    const { receives, dlq } = await deliver(flaky, messages);
    expect(receives).toEqual({ 'm-1': 1, 'm-2': 3, 'm-3': INGEST_MAX_RECEIVE_COUNT, 'm-4': INGEST_MAX_RECEIVE_COUNT });
    expect(dlq.sort()).toEqual(['m-3', 'm-4']);
    expect(await getUidAlias(db, uidOf(7002))).toMatchObject({ contactId: expect.any(Number), version: 1 });
    expect(await getMember(db, 7003)).toBeUndefined();
    // Why, in the logs: the transient failure as retried, the poison events as rejected with their reason.
    const logged = warnings.mock.calls.map(([message, details]) => `${String(message)} ${JSON.stringify(details)}`);
    expect(logged.filter((l) => l.startsWith('event failed; it will be retried') && l.includes('"unavailable":"throttled"'))).toHaveLength(2);
    expect(logged.some((l) => l.startsWith('event rejected') && l.includes('cycle: member 7003 cannot have parent 7003'))).toBe(true);
    expect(logged.some((l) => l.startsWith('event rejected') && l.includes('message body is not JSON'))).toBe(true);

    // Redriving the whole batch (an operator redriving the DLQ, SQS delivering twice): nothing changes.
    const before = await snapshot(db);
    const replay = await deliver(db, messages);
    expect(replay.dlq.sort()).toEqual(['m-3', 'm-4']);
    expect(await snapshot(db)).toBe(before);
  });

  it('records still waiting when the invocation nears its timeout fail alone and apply when delivered again', async () => {
    // The invocation may start DynamoDB attempts for 2 s; the writer stalls past that right after the second event.
    const messages = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`t-${i}`, ev.contactUpserted({ contactUid: uidOf(7100 + i), version: 1 })]));
    let secondWritten = false;
    let stalled = false;
    const stalling = withFaults(db, async (c) => {
      if (secondWritten && !stalled) {
        stalled = true;
        await new Promise((r) => setTimeout(r, 2_200));
      }
      if (c.input.TransactItems && JSON.stringify(c.input).includes(uidOf(7101))) secondWritten = true;
      return undefined;
    });
    const ingest = createHandler({ settings: { ...loadSettings({}), tableName: db.tableName }, db: stalling });
    const context = { getRemainingTimeInMillis: () => deadlineMargin(SDK_TIMEOUTS.local) + 2_000 } as Context;
    const first = (await ingest({ Records: Object.entries(messages).map(([id, e]) => record(id, e)) }, context)) as { batchItemFailures: { itemIdentifier: string }[] };
    // The two events before the stall applied; the four after it fail without a request.
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['t-2', 't-3', 't-4', 't-5']);
    expect(await getUidAlias(db, uidOf(7101))).toMatchObject({ version: 1 });
    const again = await deliver(db, { 't-2': messages['t-2'], 't-3': messages['t-3'], 't-4': messages['t-4'], 't-5': messages['t-5'] });
    expect(again).toEqual({ receives: { 't-2': 1, 't-3': 1, 't-4': 1, 't-5': 1 }, dlq: [] });
    for (let i = 0; i < 6; i++) expect(await getUidAlias(db, uidOf(7100 + i))).toMatchObject({ version: 1 });
  });
});
