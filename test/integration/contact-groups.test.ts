// ContactGroupManagement over HTTP on DynamoDB Local (SPEC 5.3): every endpoint, the group rules with their error
// bodies, the authorization matrix, concurrency, Idempotency-Key and the DynamoDB round trips per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { getGroup as getGroupItem } from '../../lib/store/groups.js';
import { getItem } from '../../lib/store/reads.js';
import { getLinks } from '../../lib/store/contacts.js';
import { keys } from '../../lib/store/keys.js';
import { createIdempotency } from '../../lib/use-cases/idempotency.js';
import { ConflictError } from '../../lib/domain/errors.js';

const P1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const P2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const now = '2026-01-01T00:00:00.000Z';

let server: TestServer;
/** contact label → contactId */
const c: Record<number, number> = {};
const bulk: number[] = [];
let admin: string;

async function ingestContacts(labels: number[], participantUids: string[]) {
  const out = await server.ingest(
    labels.map((n) => ev.contactUpserted({ contactUid: uidOf(n), firstName: `First${n}`, lastName: `Last${n}`, participantUids, version: 1 })),
  );
  return out.results.map((r) => r.contactId!);
}

async function create(token: string, contactId: number, body: Record<string, unknown>, headers?: Record<string, string>) {
  return server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token, body, ...(headers && { headers }) });
}

async function createOk(contactId: number, body: Record<string, unknown>): Promise<number> {
  const res = await create(admin, contactId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
}

const errorOf = (res: { status: number; body: any }) => ({ status: res.status, code: res.body?.code, subCode: res.body?.subCode });

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.token(callers.admin());
  await server.ingest([
    ev.memberUpserted({ memberId: 1, version: 1, participantUid: P1 }),
    ev.memberUpserted({ memberId: 2, version: 1, parentMemberId: 1, participantUid: P1 }),
    ev.memberUpserted({ memberId: 3, version: 1, participantUid: P1 }),
  ]);
  const p1 = await ingestContacts([1, 2, 3, 4], [P1]);
  const p2 = await ingestContacts([5, 6], [P2]);
  [c[1], c[2], c[3], c[4]] = p1 as [number, number, number, number];
  [c[5], c[6]] = p2 as [number, number];
  bulk.push(...(await ingestContacts(Array.from({ length: 101 }, (_, i) => 1000 + i), [P1])));
  await changeAssignments(server.db, c[1]!, () => [2], now);
  await changeAssignments(server.db, c[2]!, () => [2], now);
  await changeAssignments(server.db, c[3]!, () => [3], now);
});

afterAll(async () => {
  await server?.stop();
});

describe('create and read', () => {
  it('creates a group (201, id, Location), path contact first, and reads it back with names, localized types and ETag', async () => {
    const res = await create(admin, c[1]!, {
      groupName: 'Household One',
      groupExternalId: 'HH-1',
      customAttributes: '{"segment":"private"}',
      contacts: [
        { contactId: c[2], relationshipType: 'PrimaryGroupMember', order: 5 },
        { contactId: c[3], relationshipType: 'FamilyDependant', systemStatus: 'Inactive' },
      ],
    });
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    expect(res.headers.get('location')).toBe(`/v1.0/contactgroups/${id}`);

    const got = await server.request('GET', `/v1.0/contactgroups/${id}`, { token: admin, headers: { 'accept-language': 'de' } });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.headers.get('content-language')).toBe('de');
    expect(got.body).toEqual({
      groupId: id,
      groupName: 'Household One',
      groupExternalId: 'HH-1',
      customAttributes: '{"segment":"private"}',
      contacts: [
        {
          contactId: c[2],
          contactUid: uidOf(2),
          firstName: 'First2',
          lastName: 'Last2',
          relationshipType: { id: 1, name: 'Primäres Gruppenmitglied', systemName: 'PrimaryGroupMember' },
          systemStatus: { id: 1, name: 'Aktiv', systemName: 'Active' },
          order: 1,
        },
        {
          contactId: c[1],
          contactUid: uidOf(1),
          firstName: 'First1',
          lastName: 'Last1',
          relationshipType: { id: 2, name: 'Gruppenmitglied', systemName: 'GroupMember' },
          systemStatus: { id: 1, name: 'Aktiv', systemName: 'Active' },
          order: 2,
        },
        {
          contactId: c[3],
          contactUid: uidOf(3),
          firstName: 'First3',
          lastName: 'Last3',
          relationshipType: { id: 3, name: 'Familienangehörige Person', systemName: 'FamilyDependant' },
          systemStatus: { id: 2, name: 'Inaktiv', systemName: 'Inactive' },
          order: 3,
        },
      ],
    });
  });

  it('creates a group of the path contact alone when the body has no contacts; groupName is required', async () => {
    const id = await createOk(c[4]!, { groupName: 'Solo' });
    const got = await server.request('GET', `/v1.0/contactgroups/${id}`, { token: admin });
    expect(got.body.contacts.map((m: any) => [m.contactId, m.order, m.relationshipType.systemName])).toEqual([[c[4], 1, 'GroupMember']]);
    expect(got.body.groupExternalId).toBeNull();
    const missing = await create(admin, c[4]!, { contacts: [] });
    expect(errorOf(missing)).toEqual({ status: 400, code: 'BadRequest', subCode: 'InvalidBody' });
    expect(missing.body.properties.fields).toContain('groupName');
  });

  it('answers 404 for an unknown path contact or group, and 400 for a malformed id', async () => {
    expect(errorOf(await create(admin, 999_999, { groupName: 'x' }))).toEqual({ status: 404, code: 'NotFound', subCode: 'ContactNotFound' });
    expect(errorOf(await server.request('GET', '/v1.0/contactgroups/999999', { token: admin }))).toEqual({ status: 404, code: 'NotFound', subCode: 'GroupNotFound' });
    expect((await server.request('GET', '/v1.0/contactgroups/abc', { token: admin })).status).toBe(400);
  });

  it('lists every group of a contact, whoever else is in it', async () => {
    const a = await createOk(c[5]!, { groupName: 'Five A' });
    const b = await createOk(c[6]!, { groupName: 'Six with five', contacts: [{ contactId: c[5], systemStatus: 'Archived' }] });
    const res = await server.request('GET', `/v2.0/contacts/${c[5]}/contactgroups`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.groups.map((g: any) => g.groupId)).toEqual([a, b]);
    expect(res.body.groups[1].contacts.map((m: any) => m.contactId)).toEqual([c[6], c[5]]);
    const none = await server.request('GET', `/v2.0/contacts/${bulk[100]}/contactgroups`, { token: admin });
    expect(none.body).toEqual({ groups: [] });
  });
});

describe('group rules', () => {
  it.each([
    ['an unknown contact', () => ({ contacts: [{ contactId: 888_888 }, { contactId: 888_889 }] }), 'ContactNotFound', () => ({ ids: [888_888, 888_889] })],
    ['a contact twice', () => ({ contacts: [{ contactId: c[2] }, { contactId: c[2] }] }), 'DuplicateContact', () => ({ ids: [c[2]] })],
    [
      'two primary members',
      () => ({ contacts: [{ contactId: c[2], relationshipType: 'PrimaryGroupMember' }, { contactId: c[3], relationshipType: 'PrimaryGroupMember' }] }),
      'MultiplePrimaryGroupMembers',
      () => ({}),
    ],
    ['an unknown relationship type', () => ({ contacts: [{ contactId: c[2], relationshipType: 'Cousin' }] }), 'UnknownRelationshipType', () => ({ values: ['Cousin'] })],
    ['an unknown status', () => ({ contacts: [{ contactId: c[2], systemStatus: 'Gone' }] }), 'UnknownSystemStatus', () => ({ values: ['Gone'] })],
    ['more than 100 contacts', () => ({ contacts: bulk.slice(0, 100).map((contactId) => ({ contactId })) }), 'GroupFull', () => ({ max: 100 })],
  ])('refuses %s with 422 and its details', async (_, body, subCode, properties) => {
    const res = await create(admin, c[1]!, { groupName: 'Rule test', ...body() });
    expect(errorOf(res)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode });
    expect(res.body.properties).toMatchObject(properties());
    expect(res.body.correlationId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof res.body.message).toBe('string');
  });

  it('lists the allowed values of a catalogue, and refuses a 101st item in a request list with 400', async () => {
    const res = await create(admin, c[1]!, { groupName: 'x', contacts: [{ contactId: c[2], relationshipType: 'Cousin' }] });
    expect(res.body.properties.allowed).toEqual(['PrimaryGroupMember', 'GroupMember', 'FamilyDependant', 'FamilyPet', 'FamilyContact', 'FriendContact']);
    const tooMany = await create(admin, c[1]!, { groupName: 'x', contacts: bulk.slice(0, 101).map((contactId) => ({ contactId })) });
    expect(errorOf(tooMany)).toEqual({ status: 400, code: 'BadRequest', subCode: 'TooManyItems' });
  });

  it('keeps external ids unique on create and on modify (422 DuplicateExternalId)', async () => {
    await createOk(c[1]!, { groupName: 'Ext A', groupExternalId: 'EXT-UNIQUE' });
    const dup = await create(admin, c[2]!, { groupName: 'Ext B', groupExternalId: 'EXT-UNIQUE' });
    expect(errorOf(dup)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'DuplicateExternalId' });
    const other = await createOk(c[2]!, { groupName: 'Ext C', groupExternalId: 'EXT-OTHER' });
    const put = await server.request('PUT', `/v1.0/contactgroups/${other}`, { token: admin, body: { groupExternalId: 'EXT-UNIQUE' } });
    expect(errorOf(put)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'DuplicateExternalId' });
  });
});

describe('modify and delete', () => {
  it('modifies: null leaves a field unchanged, contacts replace the set, If-Match is honoured', async () => {
    const id = await createOk(c[1]!, { groupName: 'Before', groupExternalId: 'MOD-1', customAttributes: 'a', contacts: [{ contactId: c[2] }] });
    const stale = await server.request('PUT', `/v1.0/contactgroups/${id}`, { token: admin, body: { groupName: 'x' }, headers: { 'if-match': '"7"' } });
    expect(errorOf(stale)).toEqual({ status: 412, code: 'PreconditionFailed', subCode: 'VersionMismatch' });

    const put = await server.request('PUT', `/v1.0/contactgroups/${id}`, {
      token: admin,
      headers: { 'if-match': '"1"' },
      body: { groupName: 'After', groupExternalId: null, customAttributes: null, contacts: [{ contactId: c[3], order: 2 }, { contactId: c[1], order: 1 }] },
    });
    expect(put.status).toBe(204);
    const got = await server.request('GET', `/v1.0/contactgroups/${id}`, { token: admin });
    expect(got.headers.get('etag')).toBe('"2"');
    expect(got.body).toMatchObject({ groupName: 'After', groupExternalId: 'MOD-1', customAttributes: 'a' });
    expect(got.body.contacts.map((m: any) => [m.contactId, m.order])).toEqual([[c[1], 1], [c[3], 2]]);
    expect((await getLinks(server.db, c[2]!))?.groups[String(id)]).toBeUndefined();
    expect((await getLinks(server.db, c[3]!))?.groups[String(id)]).toBe(1);

    const empty = await server.request('PUT', `/v1.0/contactgroups/${id}`, { token: admin, body: { contacts: [] } });
    expect(errorOf(empty)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'GroupMustHaveContact' });
    const unknown = await server.request('PUT', `/v1.0/contactgroups/${id}`, { token: admin, body: { contacts: [{ contactId: 777_777 }] } });
    expect(errorOf(unknown)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'ContactNotFound' });
    expect(unknown.body.properties.ids).toEqual([777_777]);
    expect(errorOf(await server.request('PUT', '/v1.0/contactgroups/999999', { token: admin, body: {} }))).toMatchObject({ status: 404 });
  });

  it('refuses to delete a group with linked entities (422), then deletes every item of it', async () => {
    const id = await createOk(c[1]!, { groupName: 'To delete', groupExternalId: 'DEL-1', contacts: [{ contactId: c[2] }] });
    await server.ingest([ev.entityLinked('Account', 4711, id, 1)]);
    const refused = await server.request('DELETE', `/v1.0/contactgroups/${id}`, { token: admin });
    expect(errorOf(refused)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'GroupHasLinkedEntities' });
    await server.ingest([ev.entityUnlinked('Account', 4711, 2)]);
    expect(errorOf(await server.request('DELETE', `/v1.0/contactgroups/${id}`, { token: admin, headers: { 'if-match': '"9"' } }))).toMatchObject({ status: 412 });

    server.db.log.reset();
    const res = await server.request('DELETE', `/v1.0/contactgroups/${id}`, { token: admin });
    expect(res.status).toBe(204);
    expect(server.db.log.commands.filter((cmd) => cmd.startsWith('TransactWrite'))).toHaveLength(1);
    expect(await getGroupItem(server.db, id)).toBeUndefined();
    expect(await getItem(server.db, keys.groupExternalId('DEL-1'))).toBeUndefined();
    expect((await getLinks(server.db, c[1]!))?.groups[String(id)]).toBeUndefined();
    expect((await getLinks(server.db, c[2]!))?.groups[String(id)]).toBeUndefined();
    expect((await server.request('GET', `/v1.0/contactgroups/${id}`, { token: admin })).status).toBe(404);
  });

  it('commits a create and a modify as one transaction', async () => {
    server.db.log.reset();
    const id = await createOk(c[1]!, { groupName: 'One tx', groupExternalId: 'TX-1', contacts: [{ contactId: c[2] }, { contactId: c[3] }] });
    expect(server.db.log.commands.filter((cmd) => cmd.startsWith('TransactWrite'))).toHaveLength(1);
    server.db.log.reset();
    const put = await server.request('PUT', `/v1.0/contactgroups/${id}`, { token: admin, body: { groupExternalId: 'TX-2', contacts: [{ contactId: c[4] }] } });
    expect(put.status).toBe(204);
    expect(server.db.log.commands.filter((cmd) => cmd.startsWith('TransactWrite'))).toHaveLength(1);
  });
});

describe('search', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    ids = {
      alpha1: await createOk(c[1]!, { groupName: 'Searchable Alpha', groupExternalId: 'S-A1', contacts: [{ contactId: c[2] }] }),
      alpha2: await createOk(c[3]!, { groupName: 'searchable alpine', groupExternalId: 'S-A2' }),
      beta: await createOk(c[2]!, { groupName: 'Searchable Beta', groupExternalId: 'S-B' }),
      other: await createOk(c[4]!, { groupName: 'Unrelated', groupExternalId: 'S-O' }),
    };
  });

  const search = (body: unknown, token = admin) => server.request('POST', '/v1.0/contact-groups/search', { token, body });

  it('matches a case-insensitive name prefix and pages (page, pageSize, totalCount)', async () => {
    const all = await search({ name: 'SEARCHABLE AL' });
    expect(all.status).toBe(200);
    expect(all.body.results.map((g: any) => g.groupId)).toEqual([ids.alpha1, ids.alpha2]);
    expect(all.body).toMatchObject({ page: 1, pageSize: 20, totalCount: 2 });
    const second = await search({ name: 'searchable', page: 2, pageSize: 2 });
    expect(second.body).toMatchObject({ page: 2, pageSize: 2, totalCount: 3 });
    expect(second.body.results.map((g: any) => g.groupId)).toEqual([ids.beta]);
    expect(second.body.results[0].contacts[0]).toMatchObject({ contactId: c[2], firstName: 'First2' });
  });

  it('combines criteria with AND and list items with OR', async () => {
    const or = await search({ externalIds: ['S-A1', 'S-B', 'NOPE'] });
    expect(or.body.results.map((g: any) => g.groupId)).toEqual([ids.alpha1, ids.beta]);
    const and = await search({ externalIds: ['S-A1', 'S-B'], name: 'searchable b' });
    expect(and.body.results.map((g: any) => g.groupId)).toEqual([ids.beta]);
    const byContact = await search({ contactIds: [c[2], c[3]], name: 'searchable' });
    expect(byContact.body.results.map((g: any) => g.groupId)).toEqual([ids.alpha1, ids.alpha2, ids.beta]);
    const byIds = await search({ contactGroupIds: [ids.other, ids.beta, 999_999], contactIds: [c[4]] });
    expect(byIds.body.results.map((g: any) => g.groupId)).toEqual([ids.other]);
  });

  it('needs a criterion (400)', async () => {
    expect(errorOf(await search({}))).toEqual({ status: 400, code: 'BadRequest', subCode: 'MissingCriterion' });
    expect(errorOf(await search({ contactIds: [], page: 1 }))).toEqual({ status: 400, code: 'BadRequest', subCode: 'MissingCriterion' });
    expect(errorOf(await search({ name: 'x', pageSize: 101 }))).toMatchObject({ status: 400 });
  });

  it('returns and counts only groups the caller may read', async () => {
    const member2 = await server.token(callers.member(2, identityOf(2)));
    const res = await search({ name: 'searchable' }, member2);
    // member 2 is assigned to contacts 1 and 2: alpha1 (1, 2) and beta (2), not alpha2 (3 only).
    expect(res.body.results.map((g: any) => g.groupId)).toEqual([ids.alpha1, ids.beta]);
    expect(res.body.totalCount).toBe(2);
  });
});

describe('authorization', () => {
  let mixed: number; // contacts 1 (member 2) and 3 (member 3)
  let inactive: number; // contact 1 active, contact 3 inactive
  beforeAll(async () => {
    mixed = await createOk(c[1]!, { groupName: 'Mixed', contacts: [{ contactId: c[3] }] });
    inactive = await createOk(c[1]!, { groupName: 'Inactive three', contacts: [{ contactId: c[3], systemStatus: 'Inactive' }] });
  });

  it('a member with access to one of two contacts can GET but not PUT or DELETE', async () => {
    const member2 = await server.token(callers.member(2, identityOf(2)));
    expect((await server.request('GET', `/v1.0/contactgroups/${mixed}`, { token: member2 })).status).toBe(200);
    const put = await server.request('PUT', `/v1.0/contactgroups/${mixed}`, { token: member2, body: { groupName: 'x' } });
    expect(errorOf(put)).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoContactAccess' });
    const del = await server.request('DELETE', `/v1.0/contactgroups/${mixed}`, { token: member2 });
    expect(errorOf(del)).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoContactAccess' });
    const add = await create(member2, c[1]!, { groupName: 'x', contacts: [{ contactId: c[3] }] });
    expect(errorOf(add)).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoContactAccess' });
    // The ancestor of member 2 reads through the hierarchy.
    expect((await server.request('GET', `/v1.0/contactgroups/${mixed}`, { token: await server.token(callers.member(1, identityOf(1))) })).status).toBe(200);
  });

  it('only Active memberships give read access', async () => {
    const member3 = await server.token(callers.member(3, identityOf(3)));
    expect((await server.request('GET', `/v1.0/contactgroups/${mixed}`, { token: member3 })).status).toBe(200);
    const res = await server.request('GET', `/v1.0/contactgroups/${inactive}`, { token: member3 });
    expect(errorOf(res)).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoGroupAccess' });
  });

  it('a contact caller sees its own groups only, and never writes', async () => {
    const contact1 = await server.token(callers.contact(c[1]!, uidOf(1)));
    const own = await server.request('GET', `/v2.0/contacts/${c[1]}/contactgroups`, { token: contact1 });
    expect(own.status).toBe(200);
    expect(own.body.groups.map((g: any) => g.groupId)).toContain(mixed);
    expect(errorOf(await server.request('GET', `/v2.0/contacts/${c[2]}/contactgroups`, { token: contact1 }))).toEqual({
      status: 403,
      code: 'Forbidden',
      subCode: 'NoContactAccess',
    });
    expect((await server.request('GET', `/v1.0/contactgroups/${mixed}`, { token: contact1 })).status).toBe(200);
    const contact3 = await server.token(callers.contact(c[3]!, uidOf(3)));
    expect(errorOf(await server.request('GET', `/v1.0/contactgroups/${inactive}`, { token: contact3 }))).toMatchObject({ status: 403 });
    const found = await server.request('POST', '/v1.0/contact-groups/search', { token: contact1, body: { contactIds: [c[1], c[3]] } });
    expect(found.body.results.every((g: any) => g.contacts.some((m: any) => m.contactId === c[1] && m.systemStatus.systemName === 'Active'))).toBe(true);
    expect(found.body.totalCount).toBeGreaterThan(0);
    expect(errorOf(await create(contact1, c[1]!, { groupName: 'Mine' }))).toEqual({ status: 403, code: 'Forbidden', subCode: 'ContactCannotWrite' });
  });

  it('mutations need crs.write', async () => {
    const reader = await server.token(callers.member(2, identityOf(2), 'crs.read'));
    for (const res of [
      await create(reader, c[1]!, { groupName: 'x' }),
      await server.request('PUT', `/v1.0/contactgroups/${mixed}`, { token: reader, body: {} }),
      await server.request('DELETE', `/v1.0/contactgroups/${mixed}`, { token: reader }),
    ]) {
      expect(errorOf(res)).toEqual({ status: 403, code: 'Forbidden', subCode: 'MissingScope' });
    }
    expect((await server.request('GET', `/v1.0/contactgroups/${mixed}`, { token: reader })).status).toBe(200);
  });

  it('an application without data segregation reaches every contact', async () => {
    const app = await server.token(callers.app(P1));
    const id = (await create(app, c[5]!, { groupName: 'P2 group by P1 app' })).body.id;
    expect((await server.request('GET', `/v1.0/contactgroups/${id}`, { token: app })).status).toBe(200);
  });
});

describe('authorization with data segregation', () => {
  let seg: TestServer;
  afterAll(async () => {
    await seg?.stop();
  });

  it('an application reaches only contacts of its participant', async () => {
    seg = await startTestServer({ settings: { dataSegregation: true } });
    const out = await seg.ingest([
      ev.contactUpserted({ contactUid: uidOf(1), lastName: 'One', participantUids: [P1], version: 1 }),
      ev.contactUpserted({ contactUid: uidOf(2), lastName: 'Two', participantUids: [P2], version: 1 }),
    ]);
    const [one, two] = out.results.map((r) => r.contactId!) as [number, number];
    const app1 = await seg.token(callers.app(P1));
    const created = await seg.request('POST', `/v2.0/contacts/${one}/contactgroups`, { token: app1, body: { groupName: 'Seg' } });
    expect(created.status).toBe(201);
    const refused = await seg.request('POST', `/v2.0/contacts/${one}/contactgroups`, { token: app1, body: { groupName: 'Seg', contacts: [{ contactId: two }] } });
    expect(errorOf(refused)).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoContactAccess' });

    const adminToken = await seg.token(callers.admin());
    const p2Group = (await seg.request('POST', `/v2.0/contacts/${two}/contactgroups`, { token: adminToken, body: { groupName: 'Seg P2' } })).body.id;
    const both = (await seg.request('POST', `/v2.0/contacts/${one}/contactgroups`, { token: adminToken, body: { groupName: 'Seg both', contacts: [{ contactId: two }] } })).body.id;
    expect(errorOf(await seg.request('GET', `/v1.0/contactgroups/${p2Group}`, { token: app1 }))).toEqual({ status: 403, code: 'Forbidden', subCode: 'NoGroupAccess' });
    expect((await seg.request('GET', `/v1.0/contactgroups/${both}`, { token: app1 })).status).toBe(200);
    expect(errorOf(await seg.request('PUT', `/v1.0/contactgroups/${both}`, { token: app1, body: { groupName: 'x' } }))).toMatchObject({ status: 403 });
    const found = await seg.request('POST', '/v1.0/contact-groups/search', { token: app1, body: { name: 'seg' } });
    expect(found.body.results.map((g: any) => g.groupId)).toEqual([created.body.id, both]);
    // The contact's groups are all listed once the caller may access the contact itself.
    const listed = await seg.request('GET', `/v2.0/contacts/${one}/contactgroups`, { token: app1 });
    expect(listed.body.groups.map((g: any) => g.groupId)).toEqual([created.body.id, both]);
    expect((await seg.request('GET', `/v2.0/contacts/${two}/contactgroups`, { token: app1 })).status).toBe(403);
  });
});

describe('concurrency', () => {
  it('20 parallel PUTs end in the state of one of them, with a version that counts every applied one', async () => {
    const id = await createOk(c[1]!, { groupName: 'Race', contacts: [{ contactId: c[2] }, { contactId: c[3] }] });
    const bodies = Array.from({ length: 20 }, (_, i) => ({
      groupName: `Race ${i}`,
      customAttributes: `attempt-${i}`,
      contacts: [c[1], c[2], c[3], c[4]].slice(0, 2 + (i % 3)).map((contactId, k) => ({ contactId, order: (k + i) % 4 })),
    }));
    const results = await Promise.all(bodies.map((body) => server.request('PUT', `/v1.0/contactgroups/${id}`, { token: admin, body })));
    const statuses = results.map((r) => r.status);
    // Each loser of a race is retried on the new state: all 20 apply, one after the other, none is lost.
    expect(statuses).toEqual(Array(20).fill(204));
    const applied = statuses.filter((s) => s === 204).length;

    const got = await server.request('GET', `/v1.0/contactgroups/${id}`, { token: admin });
    expect(got.headers.get('etag')).toBe(`"${1 + applied}"`);
    const winner = bodies.findIndex((b) => b.groupName === got.body.groupName);
    expect(winner).toBeGreaterThanOrEqual(0);
    expect(statuses[winner]).toBe(204);
    expect(got.body.customAttributes).toBe(`attempt-${winner}`);
    const expectedOrder = [...bodies[winner]!.contacts].sort((a, b) => a.order - b.order).map((m) => m.contactId);
    expect(got.body.contacts.map((m: any) => m.contactId)).toEqual(expectedOrder);
    // The contacts' group index and the assignee counts match the winner's membership set.
    const item = await getGroupItem(server.db, id);
    const byMember2 = expectedOrder.filter((x) => x === c[1] || x === c[2]).length;
    expect(item?.assignees).toEqual({ ...(byMember2 > 0 && { '2': byMember2 }), ...(expectedOrder.includes(c[3]!) && { '3': 1 }) });
    expect((await getLinks(server.db, c[4]!))?.groups[String(id)] === 1).toBe(expectedOrder.includes(c[4]!));
  });

  it('two parallel creates with one external id give exactly one group', async () => {
    const results = await Promise.all([
      create(admin, c[1]!, { groupName: 'Twin', groupExternalId: 'TWIN-1' }),
      create(admin, c[2]!, { groupName: 'Twin', groupExternalId: 'TWIN-1' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)?.body.subCode).toBe('DuplicateExternalId');
    const found = await server.request('POST', '/v1.0/contact-groups/search', { token: admin, body: { name: 'twin' } });
    expect(found.body.totalCount).toBe(1);
  });
});

describe('Idempotency-Key', () => {
  it('a create replayed 3 times gives one group and the first response', async () => {
    const body = { groupName: 'Idem once', contacts: [{ contactId: c[2] }] };
    const headers = { 'idempotency-key': 'key-1' };
    const first = await create(admin, c[1]!, body, headers);
    expect(first.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const replay = await create(admin, c[1]!, { contacts: [{ contactId: c[2] }], groupName: 'Idem once' }, headers);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    }
    const found = await server.request('POST', '/v1.0/contact-groups/search', { token: admin, body: { name: 'idem once' } });
    expect(found.body.totalCount).toBe(1);
  });

  it('parallel duplicates create one group (the others replay or are told it is in progress)', async () => {
    const headers = { 'idempotency-key': 'key-parallel' };
    const results = await Promise.all([1, 2, 3].map(() => create(admin, c[1]!, { groupName: 'Idem parallel' }, headers)));
    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.subCode === 'IdempotencyInProgress'))).toBe(true);
    const found = await server.request('POST', '/v1.0/contact-groups/search', { token: admin, body: { name: 'idem parallel' } });
    expect(found.body.totalCount).toBe(1);
  });

  it('the same key with another body is refused (422); another caller or contact has its own keys', async () => {
    const headers = { 'idempotency-key': 'key-2' };
    const first = await create(admin, c[1]!, { groupName: 'Idem two' }, headers);
    const reused = await create(admin, c[1]!, { groupName: 'Idem two changed' }, headers);
    expect(errorOf(reused)).toEqual({ status: 422, code: 'UnprocessableEntity', subCode: 'IdempotencyKeyReused' });
    const otherContact = await create(admin, c[2]!, { groupName: 'Idem two' }, headers);
    const otherCaller = await create(await server.token(callers.app(P1)), c[1]!, { groupName: 'Idem two' }, headers);
    expect(new Set([first.body.id, otherContact.body.id, otherCaller.body.id]).size).toBe(3);
  });

  it('a duplicate arriving while the first is still running is told so (409 IdempotencyInProgress)', async () => {
    const once = createIdempotency(server.db, 'test.slow');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const run = async () => {
      runs++;
      await gate;
      return { id: 42 };
    };
    const input = { scope: 'test|caller', key: 'slow-1', payload: { a: 1 } };
    const first = once(input, run);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(once(input, run)).rejects.toMatchObject({ constructor: ConflictError, subCode: 'IdempotencyInProgress' });
    release();
    expect(await first).toEqual({ id: 42 });
    expect(await once(input, run)).toEqual({ id: 42 });
    expect(runs).toBe(1);
  });

  it('a refused create does not burn its key', async () => {
    const headers = { 'idempotency-key': 'key-3' };
    const refused = await create(admin, c[1]!, { groupName: 'Idem refused', contacts: [{ contactId: 555_555 }] }, headers);
    expect(refused.status).toBe(422);
    expect((await create(admin, c[1]!, { groupName: 'Idem refused', contacts: [{ contactId: 555_555 }] }, headers)).body.subCode).toBe('ContactNotFound');
  });
});

describe('round trips', () => {
  it('GET of a group with 100 contacts: at most 2 sequential round trips, for every kind of caller', async () => {
    const id = await createOk(bulk[0]!, { groupName: 'Hundred', contacts: bulk.slice(0, 100).map((contactId) => ({ contactId })) });
    await changeAssignments(server.db, bulk[99]!, () => [2], now);
    const tokens = [admin, await server.token(callers.app(P1)), await server.token(callers.member(1, identityOf(1))), await server.token(callers.contact(bulk[5]!, uidOf(1005)))];
    for (const token of tokens) {
      server.db.log.reset();
      const res = await server.request('GET', `/v1.0/contactgroups/${id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.contacts).toHaveLength(100);
      expect(server.db.log.rounds()).toBeLessThanOrEqual(2);
    }
  });

  it('GET of the groups of a contact: the same round trips for 2 groups as for 20', async () => {
    const rounds = async (contactId: number) => {
      server.db.log.reset();
      const res = await server.request('GET', `/v2.0/contacts/${contactId}/contactgroups`, { token: admin });
      expect(res.status).toBe(200);
      return { rounds: server.db.log.rounds(), count: res.body.groups.length };
    };
    const [few1, few2, many1, many2, many3] = (await ingestContacts([2001, 2002, 2003, 2004, 2005], [P1])) as [number, number, number, number, number];
    for (let i = 0; i < 2; i++) await createOk(few1, { groupName: `Few ${i}`, contacts: [{ contactId: few2 }] });
    for (let i = 0; i < 20; i++) await createOk(many1, { groupName: `Many ${i}`, contacts: [{ contactId: many2 }, { contactId: many3 }] });
    const few = await rounds(few1);
    const many = await rounds(many1);
    expect([few.count, many.count]).toEqual([2, 20]);
    expect(many.rounds).toBe(few.rounds);
    expect(many.rounds).toBeLessThanOrEqual(3);
  });

  it('search: round trips do not grow with the number of groups in the table', async () => {
    const measure = async (body: unknown) => {
      server.db.log.reset();
      const res = await server.request('POST', '/v1.0/contact-groups/search', { token: await server.token(callers.member(1, identityOf(1))), body });
      expect(res.status).toBe(200);
      return server.db.log.rounds();
    };
    const queries = [{ name: 'zeta' }, { contactIds: [c[1]] }, { externalIds: ['Z-1'] }, { contactGroupIds: [1, 2, 3] }];
    await createOk(c[1]!, { groupName: 'Zeta one', groupExternalId: 'Z-1' });
    const before = [];
    for (const q of queries) before.push(await measure(q));
    for (let i = 0; i < 15; i++) await createOk(bulk[70]!, { groupName: `Zz filler ${i}`, contacts: [{ contactId: bulk[71] }] });
    const after = [];
    for (const q of queries) after.push(await measure(q));
    expect(after).toEqual(before);
    expect(Math.max(...after)).toBeLessThanOrEqual(4);
  });
});
