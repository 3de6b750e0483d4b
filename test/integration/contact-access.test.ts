// ContactAccessManagement over HTTP (local gateway, real JWTs, DynamoDB Local): every endpoint, its errors, the
// authorization matrix, concurrent PUT members and hierarchy moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type ApiResponse, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { getLinks } from '../../lib/store/contacts.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { DEFAULT_PICTURE_BASE64 } from '../../lib/domain/default-picture.js';
import { expectDfsError, givenContact } from '../support/fixtures.js';
import { avatarPng } from '../../infra/local/png.js';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const P3 = '33333333-3333-4333-8333-333333333333';
const now = '2026-01-01T00:00:00.000Z';

/** Segregation on (`on`) and off (`off`): two gateways over the same table. */
let on: TestServer;
let off: TestServer;
let nextContact = 1;
let adminToken: string;

interface Contact {
  id: number;
  uid: string;
}

const newContact = (participantUids: string[] = [P1], assigned: number[] = []): Promise<Contact> =>
  givenContact(on.db, nextContact++, { firstName: 'C', participantUids, assigned });

const links = async (contactId: number) => getLinks(on.db, contactId);
const assignedTo = async (contactId: number) => Object.keys((await links(contactId))!.assignees).map(Number).sort((a, b) => a - b);
const member = (id: number, scope?: string) => on.token(callers.member(id, identityOf(id), scope));

const expectError = expectDfsError;

beforeAll(async () => {
  on = await startTestServer({ settings: { dataSegregation: true } });
  off = await startTestServer({ db: on.db, settings: { dataSegregation: false } });
  adminToken = await on.token(callers.admin());
  // 1 (P1) → {2 (P1), 3 (P2)}; 2 → {4, 5} (P1); 3 → {6, 7} (P2); 8 (P1) and 9 (no participant) are roots.
  const tree: [number, number | undefined, string | undefined][] = [
    [1, undefined, P1], [2, 1, P1], [3, 1, P2], [4, 2, P1], [5, 2, P1], [6, 3, P2], [7, 3, P2], [8, undefined, P1], [9, undefined, undefined],
  ];
  const { results } = await on.ingest(
    tree.map(([memberId, parentMemberId, participantUid]) =>
      ev.memberUpserted({
        memberId,
        version: 1,
        lastName: ['Zeller', 'Adler', 'Adler', 'Meier', 'Berger', 'Keller', 'Graf', 'Roth', 'Frei'][memberId - 1],
        firstName: ['Zoe', 'Bea', 'Anna', 'Max', 'Eva', 'Jan', 'Ida', 'Tom', 'Ola'][memberId - 1],
        email: `m${memberId}@example.com`,
        jobTitle: 'Advisor',
        ...(parentMemberId && { parentMemberId }),
        ...(participantUid && { participantUid }),
      }),
    ),
  );
  expect(results.every((r) => r.status === 'applied')).toBe(true);
});

afterAll(async () => {
  await off?.stop();
  await on?.stop();
});

describe('POST / DELETE participant-access', () => {
  it('adds with either spelling, is idempotent, removes, and ignores absent links', async () => {
    const c = await newContact([P1]);
    const path = `/v1.0/contacts/${c.id}/participant-access`;
    expect((await on.request('POST', path, { token: adminToken, body: { participantUIds: [P2] } })).status).toBe(204);
    expect((await on.request('POST', path, { token: adminToken, body: { participantUids: [P3.toUpperCase()] } })).status).toBe(204);
    const afterAdd = await links(c.id);
    expect(Object.keys(afterAdd!.participants).sort()).toEqual([P1, P2, P3]);

    expect((await on.request('POST', path, { token: adminToken, body: { participantUIds: [P2, P3] } })).status).toBe(204);
    expect(await links(c.id)).toEqual(afterAdd); // nothing written, not even the version

    expect((await on.request('DELETE', path, { token: adminToken, body: { participantUids: [P2, '44444444-4444-4444-8444-444444444444'] } })).status).toBe(204);
    expect(Object.keys((await links(c.id))!.participants).sort()).toEqual([P1, P3]);
    expect((await on.request('DELETE', path, { token: adminToken, body: { participantUIds: [P2] } })).status).toBe(204);
    expect(Object.keys((await links(c.id))!.participants).sort()).toEqual([P1, P3]);
  });

  it('keeps every concurrent association (no lost update)', async () => {
    const c = await newContact([]);
    const uids = Array.from({ length: 8 }, (_, i) => `55555555-5555-4555-8555-${String(i).padStart(12, '0')}`);
    const replies = await Promise.all(
      uids.map((u) => on.request('POST', `/v1.0/contacts/${c.id}/participant-access`, { token: adminToken, body: { participantUids: [u] } })),
    );
    expect(replies.map((r) => r.status)).toEqual(uids.map(() => 204));
    expect(Object.keys((await links(c.id))!.participants).sort()).toEqual(uids);
  });

  it('removing a participant association leaves assignments alone but ends segregated application access', async () => {
    const c = await newContact([P1], [4]);
    const appP1 = await on.token(callers.app(P1));
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: appP1 })).status).toBe(200);
    expect((await on.request('DELETE', `/v1.0/contacts/${c.id}/participant-access`, { token: adminToken, body: { participantUids: [P1] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([4]);
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: appP1 })).status).toBe(403);
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: await member(4) })).status).toBe(200);
  });

  it('answers 400 for malformed bodies and 404 for an unknown contact', async () => {
    const c = await newContact();
    const path = `/v1.0/contacts/${c.id}/participant-access`;
    const send = (body: unknown, method = 'POST') => (headers: Record<string, string>) => on.request(method, path, { token: adminToken, body, headers });
    await expectError(send({}), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ participantUids: null }), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ participantUIds: ['not-a-uuid'] }, 'DELETE'), 400, 'BadRequest', 'InvalidBody');
    const tooMany = Array.from({ length: 101 }, (_, i) => `66666666-6666-4666-8666-${String(i).padStart(12, '0')}`);
    await expectError(send({ participantUids: tooMany }), 400, 'BadRequest', 'TooManyItems');
    const badPath = await on.request('POST', '/v1.0/contacts/abc/participant-access', { token: adminToken, body: { participantUids: [P2] } });
    expect(badPath.body).toMatchObject({ code: 'BadRequest', subCode: 'InvalidPath' });
    const missing = await expectError(
      (headers) => on.request('POST', '/v1.0/contacts/999999/participant-access', { token: adminToken, body: { participantUids: [P2] }, headers }),
      404, 'NotFound', 'ContactNotFound',
    );
    expect(missing.body.properties).toEqual({ ids: [999999] });
    expect(missing.body.message).toBe('Contact not found: 999999.');
  });
});

describe('GET member-profiles', () => {
  it('lists the live directly assigned members with their fields, by lastName then firstName', async () => {
    const c = await newContact([P1, P2], [1, 2, 3, 4]);
    // A stale assignee entry (a member id with no live item) never shows.
    await changeAssignments(on.db, c.id, (_l, current) => [...current, 424242], now);
    await on.ingest([ev.memberPictureUpdated(4, avatarPng([10, 20, 30], [200, 200, 200]).toString('base64'), 1)]);
    const res = await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: await member(4) });
    expect(res.status).toBe(200);
    expect(res.body.advisors.map((a: { id: number }) => a.id)).toEqual([3, 2, 4, 1]); // Adler Anna, Adler Bea, Meier, Zeller
    expect(res.body.advisors[2]).toEqual({
      id: 4, identityId: identityOf(4), firstName: 'Max', lastName: 'Meier', email: 'm4@example.com', phone: null, jobTitle: 'Advisor', hasProfilePicture: true,
    });
    expect(res.body.advisors[0].hasProfilePicture).toBe(false);
  });

  it('answers an empty list for a contact without advisors, 404 for an unknown contact, 400 for a bad id', async () => {
    const c = await newContact();
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: adminToken })).body).toEqual({ advisors: [] });
    await expectError((headers) => on.request('GET', '/v1.0/contacts/999999/member-profiles', { token: adminToken, headers }), 404, 'NotFound', 'ContactNotFound');
    await expectError((headers) => on.request('GET', '/v1.0/contacts/0/member-profiles', { token: adminToken, headers }), 400, 'BadRequest', 'InvalidPath');
  });
});

describe('GET profile-picture', () => {
  it('returns the stored picture, or the default one, and 404 for a member that is not an advisor', async () => {
    const png = avatarPng([1, 2, 3], [4, 5, 6]).toString('base64');
    await on.ingest([ev.memberPictureUpdated(5, png, 1)]);
    const c = await newContact([P1], [5, 8]);
    const token = await member(2); // an ancestor of 5
    const stored = await on.request('GET', `/v1.0/contacts/${c.id}/member/5/profile-picture`, { token });
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({ imageContentBase64: png, isDefaultImage: false });
    const fallback = await on.request('GET', `/v1.0/contacts/${c.id}/member/8/profile-picture`, { token });
    expect(fallback.body).toEqual({ imageContentBase64: DEFAULT_PICTURE_BASE64, isDefaultImage: true });

    const notAdvisor = await expectError(
      (headers) => on.request('GET', `/v1.0/contacts/${c.id}/member/4/profile-picture`, { token, headers }),
      404, 'NotFound', 'AdvisorNotFound',
    );
    expect(notAdvisor.body.properties).toEqual({ contactId: c.id, memberId: 4 });
    await expectError((headers) => on.request('GET', `/v1.0/contacts/${c.id}/member/777/profile-picture`, { token, headers }), 404, 'NotFound', 'AdvisorNotFound');
    await expectError((headers) => on.request('GET', `/v1.0/contacts/999999/member/5/profile-picture`, { token, headers }), 404, 'NotFound', 'ContactNotFound');
    await expectError((headers) => on.request('GET', `/v1.0/contacts/${c.id}/member/x/profile-picture`, { token, headers }), 400, 'BadRequest', 'InvalidPath');
  });
});

describe('POST / PUT members', () => {
  it('adds idempotently, replaces the whole set, and an empty list unassigns all', async () => {
    const c = await newContact([P1, P2]);
    const path = `/v1.0/contacts/${c.id}/members`;
    expect((await on.request('POST', path, { token: adminToken, body: { memberIds: [4, 5] } })).status).toBe(204);
    expect((await on.request('POST', path, { token: adminToken, body: { memberIds: [5, 6, 6] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([4, 5, 6]);
    const before = await links(c.id);
    expect((await on.request('POST', path, { token: adminToken, body: { memberIds: [4] } })).status).toBe(204);
    expect(await links(c.id)).toEqual(before);
    expect((await on.request('PUT', path, { token: adminToken, body: { memberIds: [7, 2] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([2, 7]);
    const profiles = await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: adminToken });
    expect(profiles.body.advisors.map((a: { id: number }) => a.id)).toEqual([2, 7]);
    expect((await on.request('PUT', path, { token: adminToken, body: { memberIds: [] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([]);
  });

  it('refuses unknown and deleted members with 422 MemberNotFound and changes nothing', async () => {
    await on.ingest([ev.memberUpserted({ memberId: 90, version: 1, participantUid: P1 }), ev.memberDeleted(90, 2)]);
    const c = await newContact([P1], [4]);
    const before = await links(c.id);
    for (const method of ['POST', 'PUT']) {
      const res = await expectError(
        (headers) => on.request(method, `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds: [5, 999, 90] }, headers }),
        422, 'UnprocessableEntity', 'MemberNotFound',
      );
      expect(res.body.properties).toEqual({ ids: [90, 999] });
      expect(res.body.message).toBe('Member not found: 90, 999.');
    }
    expect(await links(c.id)).toEqual(before);
  });

  it('with segregation on, refuses a member whose participant is not associated (422 MemberParticipantMismatch)', async () => {
    const c = await newContact([P1], [4]);
    const before = await links(c.id);
    const res = await expectError(
      (headers) => on.request('POST', `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds: [5, 6, 9] }, headers }),
      422, 'UnprocessableEntity', 'MemberParticipantMismatch',
    );
    expect(res.body.properties).toEqual({ ids: [6, 9] });
    await expectError(
      (headers) => on.request('PUT', `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds: [7] }, headers }),
      422, 'UnprocessableEntity', 'MemberParticipantMismatch',
    );
    expect(await links(c.id)).toEqual(before);
    // The same writes pass with segregation off.
    expect((await off.request('POST', `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds: [6, 9] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([4, 6, 9]);
  });

  it('keeps an assignment that predates a removed participant association when a PUT keeps it', async () => {
    const c = await newContact([P1, P2], [4, 6]);
    await on.request('DELETE', `/v1.0/contacts/${c.id}/participant-access`, { token: adminToken, body: { participantUids: [P2] } });
    expect((await on.request('PUT', `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds: [6, 5] } })).status).toBe(204);
    expect(await assignedTo(c.id)).toEqual([5, 6]);
  });

  it('answers 400 for malformed bodies and 404 for an unknown contact', async () => {
    const c = await newContact();
    const send = (body: unknown, method = 'PUT') => (headers: Record<string, string>) =>
      on.request(method, `/v1.0/contacts/${c.id}/members`, { token: adminToken, body, headers });
    await expectError(send({}), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ memberIds: null }, 'POST'), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ memberIds: [0] }), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ memberIds: ['4'] }), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ memberIds: [2_147_483_648] }), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ memberIds: Array.from({ length: 101 }, (_, i) => i + 1) }), 400, 'BadRequest', 'TooManyItems');
    const raw = await on.request('PUT', `/v1.0/contacts/${c.id}/members`, { token: adminToken, rawBody: '{"memberIds": [', headers: { 'content-type': 'application/json' } });
    expect(raw.body).toMatchObject({ code: 'BadRequest', subCode: 'InvalidJson' });
    await expectError(
      (headers) => on.request('POST', '/v1.0/contacts/999999/members', { token: adminToken, body: { memberIds: [4] }, headers }),
      404, 'NotFound', 'ContactNotFound',
    );
    expect(await assignedTo(c.id)).toEqual([]);
  });

  it('concurrent PUTs leave exactly one of the requested sets, never a mix', async () => {
    const c = await newContact([P1, P2], [1]);
    const sets = [[2, 4], [3, 6, 7], [5], [4, 5, 8], []];
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(
        sets.map((memberIds) => on.request('PUT', `/v1.0/contacts/${c.id}/members`, { token: adminToken, body: { memberIds } })),
      );
      for (const r of replies) expect([204, 409]).toContain(r.status);
      expect(replies.some((r) => r.status === 204)).toBe(true);
      const final = await assignedTo(c.id);
      expect(sets.map((s) => [...s].sort((a, b) => a - b))).toContainEqual(final);
    }
  });
});

describe('POST member-access/search', () => {
  const search = async (token: string, contactUids: string[], server = on) =>
    server.request('POST', '/v1.0/contacts/member-access/search', { token, body: { contactUids } });

  it('lists Direct members and every ancestor (Hierarchy via the nearest assigned member), leaving out unknown uids', async () => {
    const a = await newContact([P1], [4]);
    const b = await newContact([P1, P2], [4, 5, 2, 6]);
    const unknown = uidOf(99_999);
    const res = await search(adminToken, [b.uid, unknown, a.uid.toUpperCase(), b.uid]);
    expect(res.status).toBe(200);
    expect(res.body.memberAccess).toEqual([
      {
        contactUid: b.uid,
        contactId: b.id,
        members: [
          { memberId: 2, identityId: identityOf(2), accessType: 'Direct', viaMemberId: null },
          { memberId: 4, identityId: identityOf(4), accessType: 'Direct', viaMemberId: null },
          { memberId: 5, identityId: identityOf(5), accessType: 'Direct', viaMemberId: null },
          { memberId: 6, identityId: identityOf(6), accessType: 'Direct', viaMemberId: null },
          { memberId: 1, identityId: identityOf(1), accessType: 'Hierarchy', viaMemberId: 2 },
          { memberId: 3, identityId: identityOf(3), accessType: 'Hierarchy', viaMemberId: 6 },
        ],
      },
      {
        contactUid: a.uid,
        contactId: a.id,
        members: [
          { memberId: 4, identityId: identityOf(4), accessType: 'Direct', viaMemberId: null },
          { memberId: 2, identityId: identityOf(2), accessType: 'Hierarchy', viaMemberId: 4 },
          { memberId: 1, identityId: identityOf(1), accessType: 'Hierarchy', viaMemberId: 4 },
        ].sort((x, y) => (x.accessType === y.accessType ? x.memberId - y.memberId : x.accessType === 'Direct' ? -1 : 1)),
      },
    ]);
    const tie = await newContact([P1], [5, 4]);
    const tied = await search(adminToken, [tie.uid]);
    expect(tied.body.memberAccess[0].members.filter((m: { accessType: string }) => m.accessType === 'Hierarchy')).toEqual([
      { memberId: 1, identityId: identityOf(1), accessType: 'Hierarchy', viaMemberId: 4 },
      { memberId: 2, identityId: identityOf(2), accessType: 'Hierarchy', viaMemberId: 4 },
    ]);
  });

  it('leaves out contacts the caller may not access', async () => {
    const mine = await newContact([P1], [4]);
    const other = await newContact([P2], [6]);
    const ids = (r: ApiResponse) => r.body.memberAccess.map((e: { contactId: number }) => e.contactId);
    expect(ids(await search(await member(2), [mine.uid, other.uid]))).toEqual([mine.id]);
    expect(ids(await search(await member(3), [mine.uid, other.uid]))).toEqual([other.id]);
    expect(ids(await search(await member(1), [mine.uid, other.uid]))).toEqual([mine.id, other.id]);
    expect(ids(await search(await on.token(callers.app(P2)), [mine.uid, other.uid]))).toEqual([other.id]);
    expect(ids(await search(await on.token(callers.app(P2)), [mine.uid, other.uid], off))).toEqual([mine.id, other.id]);
    expect(ids(await search(await on.token(callers.contact(mine.id, mine.uid)), [mine.uid, other.uid]))).toEqual([mine.id]);
  });

  it('answers 400 for malformed bodies and 403 without crs.read', async () => {
    const send = (body: unknown) => (headers: Record<string, string>) =>
      on.request('POST', '/v1.0/contacts/member-access/search', { token: adminToken, body, headers });
    await expectError(send({}), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ contactUids: ['nope'] }), 400, 'BadRequest', 'InvalidBody');
    await expectError(send({ contactUids: Array.from({ length: 101 }, (_, i) => uidOf(i)) }), 400, 'BadRequest', 'TooManyItems');
    const writer = await on.token(callers.app(undefined, 'crs.write'));
    await expectError(
      (headers) => on.request('POST', '/v1.0/contacts/member-access/search', { token: writer, body: { contactUids: [] }, headers }),
      403, 'Forbidden', 'MissingScope',
    );
  });

  it('follows a MemberUpserted that moves a member to another parent on the very next request', async () => {
    await on.ingest([
      ev.memberUpserted({ memberId: 50, version: 1, participantUid: P1 }),
      ev.memberUpserted({ memberId: 51, version: 1, participantUid: P1 }),
      ev.memberUpserted({ memberId: 52, parentMemberId: 50, version: 1, participantUid: P1 }),
      ev.memberUpserted({ memberId: 53, parentMemberId: 52, version: 1, participantUid: P1 }),
    ]);
    const c = await newContact([P1], [53]);
    const profiles = async (m: number) => (await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: await member(m) })).status;
    expect([await profiles(50), await profiles(51)]).toEqual([200, 403]);

    const moved = await on.ingest([ev.memberUpserted({ memberId: 52, parentMemberId: 51, version: 2, participantUid: P1 })]);
    expect(moved.results[0]!.status).toBe('applied');
    expect([await profiles(50), await profiles(51)]).toEqual([403, 200]);
    const res = await search(adminToken, [c.uid]);
    expect(res.body.memberAccess[0].members).toEqual([
      { memberId: 53, identityId: identityOf(53), accessType: 'Direct', viaMemberId: null },
      { memberId: 51, identityId: identityOf(51), accessType: 'Hierarchy', viaMemberId: 53 },
      { memberId: 52, identityId: identityOf(52), accessType: 'Hierarchy', viaMemberId: 53 },
    ]);

    // A deleted member in the chain is passed through: its children hang under its parent.
    await on.ingest([ev.memberDeleted(52, 3)]);
    const after = await search(adminToken, [c.uid]);
    expect(after.body.memberAccess[0].members).toEqual([
      { memberId: 53, identityId: identityOf(53), accessType: 'Direct', viaMemberId: null },
      { memberId: 51, identityId: identityOf(51), accessType: 'Hierarchy', viaMemberId: 53 },
    ]);
    expect(await profiles(51)).toBe(200);
  });

  it('leaves out inactive members, which still pass access up to their ancestors', async () => {
    await on.ingest([
      ev.memberUpserted({ memberId: 60, version: 1, participantUid: P1 }),
      ev.memberUpserted({ memberId: 61, parentMemberId: 60, version: 1, participantUid: P1, isActive: false }),
    ]);
    const c = await newContact([P1], [61]);
    const res = await search(adminToken, [c.uid]);
    expect(res.body.memberAccess[0].members).toEqual([{ memberId: 60, identityId: identityOf(60), accessType: 'Hierarchy', viaMemberId: 61 }]);
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: await member(60) })).status).toBe(200);
    expect((await on.request('GET', `/v1.0/contacts/${c.id}/member-profiles`, { token: await member(61) })).status).toBe(403);
  });
});

describe('authorization matrix', () => {
  // Contact C: participant P1, member 4 assigned (2 and 1 above it). Each row: a caller and what it may do.
  type Expect = 'ok' | string;
  interface Row {
    who: string;
    token: () => Promise<string>;
    server?: () => TestServer;
    read: Expect;
    write: Expect;
  }
  let c: Contact;
  let other: Contact;
  beforeAll(async () => {
    c = await newContact([P1], [4]);
    other = await newContact([P1], [4]);
  });
  const rows: Row[] = [
    { who: 'admin', token: () => on.token(callers.admin()), read: 'ok', write: 'ok' },
    { who: 'application without participant, segregation off', token: () => on.token(callers.app()), server: () => off, read: 'ok', write: 'ok' },
    { who: 'application of another participant, segregation off', token: () => on.token(callers.app(P2)), server: () => off, read: 'ok', write: 'ok' },
    { who: 'application of another participant, segregation on', token: () => on.token(callers.app(P2)), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'application without participant, segregation on', token: () => on.token(callers.app()), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'application of the participant, segregation on', token: () => on.token(callers.app(P1)), read: 'ok', write: 'ok' },
    { who: 'directly assigned member', token: () => member(4), read: 'ok', write: 'ok' },
    { who: 'ancestor (manager)', token: () => member(2), read: 'ok', write: 'ok' },
    { who: "ancestor (manager's manager)", token: () => member(1), read: 'ok', write: 'ok' },
    { who: 'unassigned sibling member', token: () => member(5), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'member of another branch', token: () => member(6), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: "another branch's manager", token: () => member(3), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'unrelated member', token: () => member(8), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'member token with a foreign identity', token: () => on.token(callers.member(4, identityOf(5))), read: 'NoContactAccess', write: 'NoContactAccess' },
    { who: 'the contact itself', token: () => on.token(callers.contact(c.id, c.uid)), read: 'ok', write: 'ContactCannotWrite' },
    { who: 'another contact', token: () => on.token(callers.contact(other.id, other.uid)), read: 'NoContactAccess', write: 'ContactCannotWrite' },
    { who: 'assigned member without crs.write', token: () => member(4, 'crs.read'), read: 'ok', write: 'MissingScope' },
    { who: 'admin without crs.write', token: () => on.token({ ...callers.admin(), scope: 'crs.read crs.admin' }), read: 'ok', write: 'MissingScope' },
  ];

  it.each(rows)('$who', async (row) => {
    const server = row.server?.() ?? on;
    const token = await row.token();
    const base = `/v1.0/contacts/${c.id}`;
    const before = await links(c.id);

    const reads = [
      await server.request('GET', `${base}/member-profiles`, { token }),
      await server.request('GET', `${base}/member/4/profile-picture`, { token }),
    ];
    for (const r of reads) {
      if (row.read === 'ok') expect(r.status, JSON.stringify(r.body)).toBe(200);
      else expect(r.body, `${r.status}`).toMatchObject({ code: 'Forbidden', subCode: row.read });
    }
    const found = await server.request('POST', '/v1.0/contacts/member-access/search', { token, body: { contactUids: [c.uid] } });
    expect(found.status).toBe(200);
    expect(found.body.memberAccess.map((e: { contactId: number }) => e.contactId)).toEqual(row.read === 'ok' ? [c.id] : []);

    // Allowed callers send no-op changes (so the row order does not matter); refused ones send real changes.
    const allowed = row.write === 'ok';
    const writes: [string, string, unknown][] = [
      ['POST', `${base}/participant-access`, { participantUIds: [allowed ? P1 : P3] }],
      ['DELETE', `${base}/participant-access`, { participantUids: [allowed ? P3 : P1] }],
      ['POST', `${base}/members`, { memberIds: [allowed ? 4 : 5] }],
      ['PUT', `${base}/members`, { memberIds: allowed ? [4] : [] }],
    ];
    for (const [method, path, body] of writes) {
      const r = await server.request(method, path, { token, body });
      if (allowed) expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBe(204);
      else expect(r.body, `${method} ${path}`).toMatchObject({ code: 'Forbidden', subCode: row.write });
    }
    expect(await links(c.id)).toEqual(before);
  });
});
