// Outbound events from DynamoDB Local's real stream: library writes → stream tail → the published events.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, uidOf } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { OUTBOUND_SCHEMAS } from '../../lib/events/outbound.js';
import { startStreamTail, type PublishedEvent, type StreamTail } from '../../infra/local/stream-tail.js';

const P1 = '20000000-0000-4000-8000-000000000001';
const BEFORE_TAIL = uidOf(9001);
const CONTACT = uidOf(9002);

let db: TestDb;
let tail: StreamTail;
const tails: StreamTail[] = [];

const ingest = async (raw: unknown) => {
  const result = await ingestEvent(db, raw, 'fallback');
  expect(result.status, result.reason).toBe('applied');
  return result;
};
const start = async (from: 'LATEST' | 'TRIM_HORIZON') => {
  const t = await startStreamTail({ endpoint: db.endpoint, tableName: db.tableName, from, pollIntervalMs: 50 });
  tails.push(t);
  return t;
};
const find = (events: PublishedEvent[], type: string, detail: Record<string, unknown>) =>
  events.filter((e) => e['detail-type'] === type && Object.entries(detail).every(([k, v]) => (e.detail as Record<string, unknown>)[k] === v));
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 50 });

beforeAll(async () => {
  db = await createTestDb('crs-outbound');
  // Committed before the tail starts: a LATEST tail must not replay it.
  await ingest(ev.contactUpserted({ contactUid: BEFORE_TAIL, version: 1 }));
  tail = await start('LATEST');
});

afterAll(async () => {
  await Promise.all(tails.map((t) => t.stop()));
});

describe('stream tail', () => {
  let contactId: number;

  it('publishes registration, participant access and assignment of committed changes', async () => {
    await ingest(ev.memberUpserted({ memberId: 31, version: 1 }));
    contactId = (await ingest(ev.contactUpserted({ contactUid: CONTACT, participantUids: [P1], version: 1 }))).contactId!;
    await changeAssignments(db, contactId, () => [31], new Date().toISOString());

    await eventually(() => {
      const events = tail.events();
      expect(find(events, 'ContactRegistered', { contactId, contactUid: CONTACT })).toHaveLength(1);
      expect(find(events, 'ParticipantAccessGranted', { contactId, participantUid: P1 })).toHaveLength(1);
      expect(find(events, 'MemberAssigned', { contactId, memberId: 31 })).toHaveLength(1);
    });
    const events = tail.events();
    // Members, profiles, counters and reverse rows publish nothing; the earlier contact is not replayed.
    expect(new Set(events.map((e) => e['detail-type']))).toEqual(new Set(['ContactRegistered', 'ParticipantAccessGranted', 'MemberAssigned']));
    expect(find(events, 'ContactRegistered', { contactUid: BEFORE_TAIL })).toHaveLength(0);
    for (const e of events) {
      expect(e.source).toBe('contact-relationships');
      expect(() => OUTBOUND_SCHEMAS[e['detail-type']].parse(e.detail)).not.toThrow();
      expect(e.detail.correlationId).not.toBe('');
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('revokes and unassigns everything when the contact is deleted', async () => {
    await ingest(ev.contactDeleted(CONTACT, 2));

    await eventually(() => {
      const events = tail.events();
      expect(find(events, 'ParticipantAccessRevoked', { contactId, participantUid: P1 })).toHaveLength(1);
      expect(find(events, 'MemberUnassigned', { contactId, memberId: 31 })).toHaveLength(1);
    });
  });

  it('from TRIM_HORIZON, replays what the stream still holds, in commit order', async () => {
    const replay = await start('TRIM_HORIZON');

    await eventually(() => {
      const types = replay.events().map((e) => `${e['detail-type']}:${String((e.detail as Record<string, unknown>).contactId)}`);
      expect(types).toHaveLength(6);
      // The contact committed before the LATEST tail started comes first; one transaction's items may come in any order.
      expect(types[0]).toMatch(/^ContactRegistered:/);
      expect(types.slice(1, 3).sort()).toEqual([`ContactRegistered:${contactId}`, `ParticipantAccessGranted:${contactId}`]);
      expect(types.slice(3)).toEqual([`MemberAssigned:${contactId}`, `ParticipantAccessRevoked:${contactId}`, `MemberUnassigned:${contactId}`]);
    });
    expect(find(replay.events(), 'ContactRegistered', { contactUid: BEFORE_TAIL })).toHaveLength(1);
  });

  it('keeps publishing until stopped, and nothing after', async () => {
    const short = await start('LATEST');
    await short.stop();
    await ingest(ev.contactUpserted({ contactUid: uidOf(9003), version: 1 }));
    await eventually(() => expect(find(tail.events(), 'ContactRegistered', { contactUid: uidOf(9003) })).toHaveLength(1));
    expect(short.events()).toEqual([]);
  });
});
