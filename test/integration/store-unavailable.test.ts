// DynamoDB throttling in the middle of a change, over HTTP on DynamoDB Local: the request answers 503 with Retry-After,
// nothing is half-written for readers (only superset index rows readers verify may remain, which verify-table reports
// as tolerated and removes), and the retried request applies whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startProjection, type Projection } from '../support/projection.js';
import { ev, uidOf } from '../support/events.js';
import { throttled, withFaults } from '../support/faults.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { getLinks } from '../../lib/store/contacts.js';
import { getGroup } from '../../lib/store/groups.js';
import { repairTable, verifyTable } from '../../lib/integrity/verify.js';

let base: TestDb;
let server: TestServer;
let token: string;
let projection: Projection;
/** While set, DynamoDB throttles every transaction matching it. */
let throttle: ((input: string) => boolean) | undefined;

beforeAll(async () => {
  base = await createTestDb('crs-unavailable');
  const db = withFaults(base, (c) => (c.input.TransactItems && throttle?.(JSON.stringify(c.input)) ? throttled() : undefined));
  server = await startTestServer({ db });
  projection = await startProjection(base);
  token = await server.token({ caller_type: 'application', sub: 'admin-app', scope: 'crs.read crs.write crs.admin' });
});
afterAll(async () => {
  await projection?.stop();
  await server?.stop();
});

/** verify-table once the lookups' index has caught up with every change. */
const verified = async () => {
  await projection.caughtUp();
  return verifyTable(base);
};

const countsOf = async (groupId: number) => (await getGroup(base, groupId))!.assignees;

describe('throttled in the middle of a change', () => {
  it('an assignment of 100 members: 503, the assignment not applied, only index rows left (tolerated, repaired), the retry applies', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 100; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => ingestEvent(base, ev.memberUpserted({ memberId: 5_000 + i + j, version: 1 }), 'x')));
    }
    const contactId = (await ingestEvent(base, ev.contactUpserted({ contactUid: uidOf(5_000), version: 1 }), 'x')).contactId!;
    const other = (await ingestEvent(base, ev.contactUpserted({ contactUid: uidOf(5_001), version: 1 }), 'x')).contactId!;
    expect((await server.request('PUT', `/v1.0/contacts/${contactId}/members`, { token, body: { memberIds: [5_000] } })).status).toBe(204);
    const created = await server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token, body: { groupName: 'Throttled household', contacts: [{ contactId }, { contactId: other }] } });
    const groupId = created.body.id as number;
    const countsBefore = await countsOf(groupId);

    // 100 new members: the reverse rows go first (BatchWriteItem), then the truth commits in one transaction — throttled.
    throttle = (input) => input.includes('"LINKS"');
    const memberIds = Array.from({ length: 100 }, (_, i) => 5_000 + i);
    const refused = await server.request('PUT', `/v1.0/contacts/${contactId}/members`, { token, body: { memberIds }, headers: { 'x-correlation-id': 'throttled-put' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ code: 'ServiceUnavailable', subCode: 'NA', correlationId: 'throttled-put', properties: {} });

    // Readers see the old state whole: the contact's assignees and the group's counts did not move.
    expect(Object.keys((await getLinks(base, contactId))!.assignees)).toEqual(['5000']);
    expect(await countsOf(groupId)).toEqual(countsBefore);
    const profiles = await server.request('GET', `/v1.0/contacts/${contactId}/member-profiles`, { token });
    expect(profiles.body.advisors.map((a: { id: number }) => a.id)).toEqual([5_000]);
    // What is left: reverse rows ahead of a truth that never committed — tolerated leftovers, no disagreement.
    const leftovers = await verified();
    expect(leftovers.disagreements).toBe(0);
    expect(leftovers.findings.map((f) => `${f.check}/${f.kind}`)).toEqual(Array.from({ length: 99 }, () => 'reverse-assignments/leftover'));

    // Throttling ends: the client retries and the change applies whole; the repair then has nothing left to do.
    throttle = undefined;
    expect((await server.request('PUT', `/v1.0/contacts/${contactId}/members`, { token, body: { memberIds } })).status).toBe(204);
    expect(Object.keys((await getLinks(base, contactId))!.assignees)).toHaveLength(100);
    expect(Object.keys(await countsOf(groupId))).toHaveLength(100);
    await projection.caughtUp();
    expect((await repairTable(base)).after.findings).toEqual([]);
  });

  it('a group creation with an Idempotency-Key: 503, no group visible, the retry with the same key creates exactly one', async () => {
    const contactId = (await ingestEvent(base, ev.contactUpserted({ contactUid: uidOf(5_100), version: 1 }), 'x')).contactId!;
    const body = { groupName: 'Retried household', groupExternalId: 'RETRIED-1', contacts: [{ contactId }] };
    const headers = { 'idempotency-key': 'retry-me' };
    throttle = (input) => input.includes('"GROUP"');
    const refused = await server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token, body, headers });
    expect([refused.status, refused.headers.get('retry-after'), refused.body.code]).toEqual([503, '1', 'ServiceUnavailable']);
    expect((await server.request('GET', `/v2.0/contacts/${contactId}/contactgroups`, { token })).body.groups).toEqual([]);

    throttle = undefined;
    const created = await server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token, body, headers });
    expect(created.status).toBe(201);
    const replayed = await server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token, body, headers });
    expect(replayed.body.id).toBe(created.body.id);
    expect((await server.request('GET', `/v2.0/contacts/${contactId}/contactgroups`, { token })).body.groups.map((g: { groupId: number }) => g.groupId)).toEqual([created.body.id]);
    expect((await verified()).findings).toEqual([]);
  });
});
