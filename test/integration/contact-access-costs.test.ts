// DynamoDB round trips per contact-access request (counted, not timed): bounded by the hierarchy depth, never by
// the number of advisors or uids; PUT members of 100 members commits without one write per member.
import { measure as measureCost } from '../support/fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';

const P1 = '11111111-1111-4111-8111-111111111111';
const now = '2026-01-01T00:00:00.000Z';
/** A chain of 9 managers (201 at the top) with 100 advisors (301..400) on the 10th level. */
const MANAGERS = Array.from({ length: 9 }, (_, i) => 201 + i);
const ADVISORS = Array.from({ length: 100 }, (_, i) => 301 + i);

let server: TestServer;
let admin: string;
let contactIds: number[] = [];
const figures: Record<string, { rounds: number; requests: number; commands: string }> = {};

/** Runs one request with a fresh log and records its round trips. */
async function measure(label: string, send: () => Promise<{ status: number }>, status: number) {
  const { result, cost } = await measureCost(server.db.log, send);
  expect(result.status).toBe(status);
  figures[label] = cost;
  return cost;
}

beforeAll(async () => {
  server = await startTestServer({ settings: { dataSegregation: true } });
  admin = await server.token(callers.admin());
  const events = [
    ...MANAGERS.map((memberId, i) => ev.memberUpserted({ memberId, version: 1, participantUid: P1, ...(i > 0 && { parentMemberId: memberId - 1 }) })),
    ...ADVISORS.map((memberId) => ev.memberUpserted({ memberId, version: 1, participantUid: P1, parentMemberId: 209 })),
    ...Array.from({ length: 101 }, (_, i) => ev.contactUpserted({ contactUid: uidOf(i + 1), participantUids: [P1], version: 1 })),
  ];
  const { results } = await server.ingest(events);
  expect(results.every((r) => r.status === 'applied')).toBe(true);
  contactIds = results.filter((r) => r.contactId !== undefined).map((r) => r.contactId!);
  // Contacts 2..101: one advisor each (the search fixture).
  for (let i = 1; i <= 100; i++) await changeAssignments(server.db, contactIds[i]!, () => [ADVISORS[i - 1]!], now);
}, 120_000);

afterAll(async () => {
  console.log('contact-access round trips\n' + Object.entries(figures).map(([k, v]) => `  ${k}: ${v.rounds} rounds, ${v.requests} requests (${v.commands})`).join('\n'));
  await server?.stop();
});

describe('contact-access costs', () => {
  it('PUT members with 100 new members: the reverse rows and the LINKS change, not 100 writes', async () => {
    const f = await measure(
      'PUT members (100 new)',
      () => server.request('PUT', `/v1.0/contacts/${contactIds[0]}/members`, { token: admin, body: { memberIds: ADVISORS } }),
      204,
    );
    // GetItem LINKS, BatchGet members; 100 reverse rows + LINKS = 101 actions exceed one transaction, so the
    // reverse-index rows go first by BatchWriteItem (4 × 25 in parallel) and the assignment set commits in ONE transaction.
    // The 100 "not deleted" checks of the added members do not fit beside it either: they are read again after the
    // commit (one BatchGet), so a member deleted meanwhile does not stay assigned.
    expect(f.commands).toBe('GetItemCommand×1 BatchGetItemCommand×2 BatchWriteItemCommand×4 TransactWriteItemsCommand×1');
    expect(f.rounds).toBe(5);
    const again = await measure(
      'PUT members (same 100, no change)',
      () => server.request('PUT', `/v1.0/contacts/${contactIds[0]}/members`, { token: admin, body: { memberIds: ADVISORS } }),
      204,
    );
    expect(again.commands).toBe('GetItemCommand×1 BatchGetItemCommand×1');
  });

  it('member-profiles and profile-picture: at most 3 rounds with 100 advisors, for an ancestor 9 levels up', async () => {
    const top = await server.token(callers.member(201, identityOf(201)));
    const profiles = await measure(
      'GET member-profiles (100 advisors, caller 9 levels above)',
      () => server.request('GET', `/v1.0/contacts/${contactIds[0]}/member-profiles`, { token: top }),
      200,
    );
    expect(profiles.rounds).toBeLessThanOrEqual(3);
    const picture = await measure(
      'GET profile-picture (caller 9 levels above)',
      () => server.request('GET', `/v1.0/contacts/${contactIds[0]}/member/400/profile-picture`, { token: top }),
      200,
    );
    expect(picture.rounds).toBeLessThanOrEqual(3);
  });

  it('member-access search: the same round trips for 1 and for 100 uids', async () => {
    const uids = Array.from({ length: 100 }, (_, i) => uidOf(i + 2));
    const one = await measure('POST member-access/search (1 uid, depth 10)', () =>
      server.request('POST', '/v1.0/contacts/member-access/search', { token: admin, body: { contactUids: uids.slice(0, 1) } }), 200);
    const res = await server.request('POST', '/v1.0/contacts/member-access/search', { token: admin, body: { contactUids: uids } });
    expect(res.body.memberAccess).toHaveLength(100);
    expect(res.body.memberAccess[99].members).toHaveLength(10);
    const hundred = await measure('POST member-access/search (100 uids, depth 10)', () =>
      server.request('POST', '/v1.0/contacts/member-access/search', { token: admin, body: { contactUids: uids } }), 200);
    expect(hundred.rounds).toBe(one.rounds);
    // aliases, links, the assigned members (with their ancestor lists), then the ancestors: whatever the depth.
    expect(hundred.rounds).toBe(4);
    const member = await server.token(callers.member(205, identityOf(205)));
    const asMember = await measure('POST member-access/search (100 uids, member caller)', () =>
      server.request('POST', '/v1.0/contacts/member-access/search', { token: member, body: { contactUids: uids } }), 200);
    expect(asMember.rounds).toBe(4);
  });

  it('participant-access and POST members: one read round and one write', async () => {
    const member = await server.token(callers.member(209, identityOf(209)));
    const path = `/v1.0/contacts/${contactIds[1]}`;
    const add = await measure('POST participant-access (member caller)', () =>
      server.request('POST', `${path}/participant-access`, { token: member, body: { participantUIds: ['22222222-2222-4222-8222-222222222222'] } }), 204);
    expect(add.commands).toBe('BatchGetItemCommand×1 TransactWriteItemsCommand×1');
    const remove = await measure('DELETE participant-access (member caller)', () =>
      server.request('DELETE', `${path}/participant-access`, { token: member, body: { participantUids: ['22222222-2222-4222-8222-222222222222'] } }), 204);
    expect(remove.rounds).toBe(2);
    const post = await measure('POST members (1 new, member caller)', () =>
      server.request('POST', `${path}/members`, { token: member, body: { memberIds: [209] } }), 204);
    expect(post.rounds).toBe(3);
  });

  it('PUT members replacing 100 members by 9: new rows, the LINKS change, then the old rows removed', async () => {
    const f = await measure(
      'PUT members (100 replaced by 9)',
      () => server.request('PUT', `/v1.0/contacts/${contactIds[0]}/members`, { token: admin, body: { memberIds: MANAGERS } }),
      204,
    );
    // 9 puts + LINKS + 100 deletes = 110 actions: the 9 new rows, the LINKS commit (one transaction), then the 100 deletes.
    expect(f.commands).toBe('GetItemCommand×1 BatchGetItemCommand×1 BatchWriteItemCommand×5 TransactWriteItemsCommand×1');
  });
});
