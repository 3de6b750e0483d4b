// The ingest function's three doors (SQS batch with partial failures, one EventBridge event, a direct array), and the
// demo data set: replaying it leaves the table byte-for-byte the same; a cycle is rejected and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, uidOf } from '../support/events.js';
import { snapshot } from '../support/snapshot.js';
import { createHandler } from '../../functions/ingest/handler.js';
import { loadSettings } from '../../lib/config.js';
import { loadDemo } from '../../infra/local/demo-loader.js';
import { demoEvents } from '../../infra/local/demo-data.js';
import { getUidAlias } from '../../lib/store/contacts.js';

let db: TestDb;
let ingest: ReturnType<typeof createHandler>;

beforeAll(async () => {
  db = await createTestDb();
  ingest = createHandler({ settings: { ...loadSettings({}), tableName: db.tableName }, db });
});

const sqs = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: 'r',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:ingest',
    awsRegion: 'eu-central-1',
  })),
});

describe('ingest transports', () => {
  it('reports only the failed messages of an SQS batch', async () => {
    const result = await ingest(
      sqs([
        JSON.stringify(ev.contactUpserted({ contactUid: uidOf(1), version: 1 })),
        JSON.stringify(ev.memberUpserted({ memberId: 1, parentMemberId: 1, version: 1 })), // its own parent: a cycle
        'not json',
        JSON.stringify(ev.contactUpserted({ contactUid: uidOf(2), version: 1 })),
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
    expect(await getUidAlias(db, uidOf(1))).toMatchObject({ contactId: expect.any(Number) });
    expect(await getUidAlias(db, uidOf(2))).toMatchObject({ contactId: expect.any(Number) });
  });

  it('accepts one EventBridge event and a direct array, answering per event', async () => {
    expect(await ingest(ev.contactUpserted({ contactUid: uidOf(3), version: 1 }))).toEqual({
      results: [expect.objectContaining({ status: 'applied', contactId: expect.any(Number) })],
    });
    const out = (await ingest([ev.contactUpserted({ contactUid: uidOf(3), version: 1 }), { nonsense: true }])) as { results: { status: string }[] };
    expect(out.results.map((r) => r.status)).toEqual(['ignored', 'rejected']);
  });
});

describe('demo data set', () => {
  it('replays to the same table, byte for byte, and a cycle changes nothing', async () => {
    const demoDb = await createTestDb('crs-demo');
    const demoIngest = createHandler({ settings: { ...loadSettings({}), tableName: demoDb.tableName }, db: demoDb });
    const first = await loadDemo(demoDb, demoIngest);
    expect(first.rejected).toBe(0);
    const before = await snapshot(demoDb);
    const replay = (await demoIngest(demoEvents())) as { results: { status: string }[] };
    expect(new Set(replay.results.map((r) => r.status))).toEqual(new Set(['ignored']));
    await loadDemo(demoDb, demoIngest);
    expect(await snapshot(demoDb)).toBe(before);

    const cycle = (await demoIngest(ev.memberUpserted({ memberId: 1, parentMemberId: 4, version: 2 }))) as { results: { status: string; reason: string }[] };
    expect(cycle.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/cycle/) });
    expect(await snapshot(demoDb)).toBe(before);
  });
});
