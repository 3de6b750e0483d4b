// The publish function: stream batch → PutEvents (chunks of 10, failed entries re-sent), partial batch failures.
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
// Types of the matchers registered in test/support/setup.ts (the augmentation ships in the package's /extend entry).
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler } from '../../functions/publish/handler.js';
import { putEventsWith } from '../../lib/events/publisher.js';

const BUS = 'crs-test-bus';
const UID = '10000000-0000-4000-8000-000000000001';
const AT_SECONDS = 1_772_359_200; // 2026-03-01T10:00:00Z

const eventBridge = new EventBridgeClient({ region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const ebMock = mockClient(eventBridge);

const publish = createHandler({ eventBusName: BUS, putEvents: putEventsWith(eventBridge), retryDelayMs: 0 });

let seq = 0;
function record(oldImage: object | undefined, newImage: object | undefined): DynamoDBRecord {
  seq++;
  return {
    eventID: `evt-${seq}`,
    eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: AT_SECONDS,
      SequenceNumber: String(1000 + seq),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(oldImage && { OldImage: marshall(oldImage, { removeUndefinedValues: true }) as never }),
      ...(newImage && { NewImage: marshall(newImage, { removeUndefinedValues: true }) as never }),
    },
  };
}
const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const registered = (contactId: number) =>
  record(undefined, { pk: `CONTACTUID#${contactId}`, sk: 'CONTACTUID', type: 'ContactUid', contactUid: UID, contactId, version: 1 });
const groupWith = (size: number) =>
  record(undefined, {
    pk: 'GROUP#5',
    sk: 'GROUP',
    type: 'Group',
    groupId: 5,
    groupName: 'Big family',
    contacts: Array.from({ length: size }, (_, i) => ({ contactId: i + 1, membershipId: 100 + i, relationshipType: 'GroupMember', systemStatus: 'Active', order: i + 1 })),
    assignees: {},
    version: 1,
    accessVersion: 1,
    entityCount: 0,
  });
const linksGranting = (contactId: number, participants: string[]) =>
  record(undefined, {
    pk: `CONTACT#${contactId}`,
    sk: 'LINKS',
    type: 'ContactLinks',
    contactId,
    participants: Object.fromEntries(participants.map((p) => [p, 'x'])),
    assignees: {},
    groups: {},
    version: 1,
  });
const sent = () => ebMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const accepted = (n: number) => ({ FailedEntryCount: 0, Entries: Array.from({ length: n }, (_, i) => ({ EventId: `id-${i}` })) });

beforeEach(() => {
  ebMock.reset();
  ebMock.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => accepted(input.Entries?.length ?? 0));
});

describe('publish handler', () => {
  it('sends each change as an EventBridge entry of the contact-relationships source and skips internal items', async () => {
    const member = record(undefined, { pk: 'MEMBER#3', sk: 'MEMBER', type: 'Member', memberId: 3, version: 1 });

    const response = await publish(batch(registered(7), member));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(ebMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: BUS,
          Source: 'contact-relationships',
          DetailType: 'ContactRegistered',
          Detail: expect.any(String),
          Time: new Date(AT_SECONDS * 1000),
        },
      ],
    });
    expect(JSON.parse(sent()[0]![0]!.Detail!)).toEqual({
      contactId: 7,
      contactUid: UID,
      occurredAt: '2026-03-01T10:00:00.000Z',
      correlationId: expect.stringMatching(/^evt-/),
    });
  });

  it('sends more than 10 events in chunks of at most 10', async () => {
    const response = await publish(batch(groupWith(12)));

    expect(response.batchItemFailures).toEqual([]);
    expect(sent().map((entries) => entries.length)).toEqual([10, 3]);
    const types = sent().flat().map((e) => e.DetailType);
    expect(types[0]).toBe('ContactGroupCreated');
    expect(types.filter((t) => t === 'GroupMemberAdded')).toHaveLength(12);
  });

  it('re-sends only the entries EventBridge reported as failed', async () => {
    const P1 = '20000000-0000-4000-8000-000000000001';
    const P2 = '20000000-0000-4000-8000-000000000002';
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'ok' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves(accepted(1));

    const response = await publish(batch(linksGranting(7, [P1, P2])));

    expect(response.batchItemFailures).toEqual([]);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const [first, retry] = sent();
    expect(first).toHaveLength(2);
    expect(retry).toEqual([first![1]]);
  });

  it('reports a persistently failing record (and the unsent ones after it) as batch item failures', async () => {
    const good = registered(7);
    const bad = registered(8);
    const after = registered(9);
    ebMock.on(PutEventsCommand).callsFake((input: { Entries?: { Detail?: string }[] }) => {
      const failing = input.Entries?.some((e) => JSON.parse(e.Detail ?? '{}').contactId === 8);
      return failing
        ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] }
        : accepted(input.Entries?.length ?? 0);
    });

    const response = await publish(batch(good, bad, after));

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: bad.dynamodb!.SequenceNumber },
      { itemIdentifier: after.dynamodb!.SequenceNumber },
    ]);
    const contactIds = sent().flat().map((e) => JSON.parse(e.Detail!).contactId);
    // 7 once, 8 tried 4 times (maxAttempts), 9 never sent: the stream resumes from 8 and will send it then.
    expect(contactIds).toEqual([7, 8, 8, 8, 8]);
  });

  it('reports a record whose PutEvents call throws', async () => {
    ebMock.on(PutEventsCommand).rejectsOnce(new Error('network down')).callsFake((input: { Entries?: unknown[] }) => accepted(input.Entries?.length ?? 0));
    const first = registered(7);
    const second = registered(8);
    // The first record fails, so the whole batch failed: the stream retries all of it.
    await expect(publish(batch(first, second))).rejects.toThrow(/All records failed/);
  });

  it('refuses to run without a bus name rather than publishing to the default bus', async () => {
    const unconfigured = createHandler({ eventBusName: '', putEvents: putEventsWith(eventBridge) });
    await expect(unconfigured(batch(registered(7)))).rejects.toThrow(/EVENT_BUS_NAME/);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
