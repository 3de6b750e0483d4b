// Dezrez `PUT /api/group/{id}/addgroupmember` over HTTP on DynamoDB Local (SPEC 5.3): the seed's request and response
// shapes, existing and created persons, the rules with the Dezrez error body, and the round trip to the DFS GET.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { getItem } from '../../lib/store/reads.js';
import { getLinks, getProfile } from '../../lib/store/contacts.js';
import { getGroup as getGroupItem } from '../../lib/store/groups.js';
import { keys } from '../../lib/store/keys.js';

/** The seed's request sample (Dezrez help page), verbatim. */
const SEED_REQUEST = {"Person":{"PersonId":1,"Gender":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Title":"sample string 1","FirstName":"sample string 2","LastName":"sample string 3","Addresses":[{"ContactOrder":1,"AddressType":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Latitude":2.1,"Longitude":3.1,"AddressSource":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"SourceId":"sample string 4","OrganizationName":"sample string 5","Number":"sample string 6","BuildingName":"sample string 7","Street":"sample string 8","Town":"sample string 9","Locality":"sample string 10","County":"sample string 11","Postcode":"sample string 12","CreatedDate":"2024-11-21T09:51:54.9079147Z","CreatedBy":{"Initials":"sample string 1","ContactName":"sample string 2","Gender":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Title":"sample string 3","FirstName":"sample string 4","LastName":"sample string 5","PrimaryTelephone":{"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 1","Notes":"sample string 2","ContactOrder":3,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Name":"sample string 5","Id":6},"PrimaryEmail":{"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 1","Notes":"sample string 2","ContactOrder":3,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Name":"sample string 5","Id":6},"JobTitle":"sample string 6","Id":7},"Id":14},{"ContactOrder":1,"AddressType":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Latitude":2.1,"Longitude":3.1,"AddressSource":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"SourceId":"sample string 4","OrganizationName":"sample string 5","Number":"sample string 6","BuildingName":"sample string 7","Street":"sample string 8","Town":"sample string 9","Locality":"sample string 10","County":"sample string 11","Postcode":"sample string 12","CreatedDate":"2024-11-21T09:51:54.9079147Z","CreatedBy":{"Initials":"sample string 1","ContactName":"sample string 2","Gender":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Title":"sample string 3","FirstName":"sample string 4","LastName":"sample string 5","PrimaryTelephone":{"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 1","Notes":"sample string 2","ContactOrder":3,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Name":"sample string 5","Id":6},"PrimaryEmail":{"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 1","Notes":"sample string 2","ContactOrder":3,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Name":"sample string 5","Id":6},"JobTitle":"sample string 6","Id":7},"Id":14}],"ContactItems":[{"Id":1,"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 2","Notes":"sample string 3","ContactOrder":4,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"NormalisedRegionCode":"sample string 5"},{"Id":1,"Type":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Value":"sample string 2","Notes":"sample string 3","ContactOrder":4,"AllowContact":true,"MarketingContactStatus":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"NormalisedRegionCode":"sample string 5"}],"ServiceTypes":[{"Service":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Referral":true},{"Service":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Referral":true}],"ExternalApplicantReference":"sample string 4","Id":5},"RelationshipType":{"Id":1,"Name":"sample string 2","SystemName":"sample string 3"},"Id":1};

/** The key structure of the seed's response sample (leaf values replaced by their JSON type). */
const SEED_RESPONSE_SHAPE = {"Person":{"Gender":{"Id":"number","Name":"string","SystemName":"string"},"Title":"string","FirstName":"string","LastName":"string","ContactName":"string","PrimaryTelephone":{"Type":{"Id":"number","Name":"string","SystemName":"string"},"Value":"string","Notes":"string","ContactOrder":"number","AllowContact":"boolean","MarketingContactStatus":{"Id":"number","Name":"string","SystemName":"string"},"Name":"string","Id":"number"},"PrimaryEmail":{"Type":{"Id":"number","Name":"string","SystemName":"string"},"Value":"string","Notes":"string","ContactOrder":"number","AllowContact":"boolean","MarketingContactStatus":{"Id":"number","Name":"string","SystemName":"string"},"Name":"string","Id":"number"},"Addresses":[{"AddressType":{"Id":"number","Name":"string","SystemName":"string"},"ContactOrder":"number","Location":{"CenterPoint":{"Latitude":"number","Longitude":"number","Altitude":"number","Order":"number","Id":"number"},"Extent":[{"Latitude":"number","Longitude":"number","Altitude":"number","Order":"number","Id":"number"}],"ViewPoints":[{"Point":{"Latitude":"number","Longitude":"number","Altitude":"number","Order":"number","Id":"number"},"Pitch":"number","Heading":"number","FieldOfVision":"number","Zoom":"number","Label":"string","Id":"number"}],"Id":"number"},"AddressSource":{"Id":"number","Name":"string","SystemName":"string"},"SourceId":"string","OrganizationName":"string","Number":"string","BuildingName":"string","Street":"string","Town":"string","Locality":"string","County":"string","Postcode":"string","CreatedDate":"string","CreatedBy":{"Initials":"string","ContactName":"string","Gender":{"Id":"number","Name":"string","SystemName":"string"},"Title":"string","FirstName":"string","LastName":"string","PrimaryTelephone":{"Type":{"Id":"number","Name":"string","SystemName":"string"},"Value":"string","Notes":"string","ContactOrder":"number","AllowContact":"boolean","MarketingContactStatus":{"Id":"number","Name":"string","SystemName":"string"},"Name":"string","Id":"number"},"PrimaryEmail":{"Type":{"Id":"number","Name":"string","SystemName":"string"},"Value":"string","Notes":"string","ContactOrder":"number","AllowContact":"boolean","MarketingContactStatus":{"Id":"number","Name":"string","SystemName":"string"},"Name":"string","Id":"number"},"JobTitle":"string","Id":"number"},"Id":"number"}],"ContactItems":[{"Type":{"Id":"number","Name":"string","SystemName":"string"},"Value":"string","Notes":"string","ContactOrder":"number","AllowContact":"boolean","MarketingContactStatus":{"Id":"number","Name":"string","SystemName":"string"},"Name":"string","Id":"number"}],"MarketingPreferences":[{"ServiceType":{"Id":"number","Name":"string","SystemName":"string"},"ServiceStatusType":{"Id":"number","Name":"string","SystemName":"string"},"Referral":"boolean","ReferralStatusType":{"Id":"number","Name":"string","SystemName":"string"},"Id":"number"}],"ExternalApplicantReference":"string","Id":"number"},"RelationshipType":{"Id":"number","Name":"string","SystemName":"string"},"SystemStatus":{"Id":"number","Name":"string","SystemName":"string"},"Order":"number","Id":"number"};

/** Every object of `actual` has exactly the keys of the seed, in the seed's order; null stands for an absent object. */
function expectSeedShape(actual: unknown, shape: unknown, path = '$'): void {
  if (actual === null) return;
  if (Array.isArray(shape)) {
    expect(Array.isArray(actual), path).toBe(true);
    (actual as unknown[]).forEach((item, i) => expectSeedShape(item, shape[0], `${path}[${i}]`));
    return;
  }
  if (typeof shape === 'object' && shape !== null) {
    expect(Object.keys(actual as object), path).toEqual(Object.keys(shape));
    for (const [key, inner] of Object.entries(shape)) expectSeedShape((actual as Record<string, unknown>)[key], inner, `${path}.${key}`);
    return;
  }
  expect(typeof actual, path).toBe(shape);
}

const P1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const P2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const now = '2026-01-01T00:00:00.000Z';

let server: TestServer;
let admin: string;
let member2: string;
const c: Record<number, number> = {};

async function newGroup(contactId: number, contacts: Record<string, unknown>[] = [], groupName = 'Dezrez household'): Promise<number> {
  const res = await server.request('POST', `/v2.0/contacts/${contactId}/contactgroups`, { token: admin, body: { groupName, contacts } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
}

const add = (groupId: number, body: unknown, token = admin, query = '') =>
  server.request('PUT', `/api/group/${groupId}/addgroupmember${query}`, { token, body });

const dezrezError = (res: { status: number; body: any }) => ({ status: res.status, ErrorType: res.body?.ErrorType, Details: res.body?.Details });

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.token(callers.admin());
  member2 = await server.token(callers.member(2, identityOf(2), 'crs.read crs.write', P1));
  await server.ingest([ev.memberUpserted({ memberId: 1, version: 1, participantUid: P1 }), ev.memberUpserted({ memberId: 2, version: 1, parentMemberId: 1, participantUid: P1 })]);
  const out = await server.ingest(
    [1, 2, 3, 4].map((n) =>
      ev.contactUpserted({ contactUid: uidOf(n), title: 'Dr', firstName: `First${n}`, lastName: `Last${n}`, email: `c${n}@example.com`, phone: `+41 44 000 00 0${n}`, participantUids: [n === 4 ? P2 : P1], version: 1 }),
    ),
  );
  out.results.forEach((r, i) => (c[i + 1] = r.contactId!));
  for (const n of [1, 2, 3]) await changeAssignments(server.db, c[n]!, () => [2], now);
});

afterAll(async () => {
  await server?.stop();
});

describe('new person', () => {
  it('accepts the seed request verbatim and answers in the seed response shape', async () => {
    const groupId = await newGroup(c[1]!);
    // The seed names PersonId 1 / Id 5: make sure they name no contact here, so the person is created from its fields.
    const body = structuredClone(SEED_REQUEST);
    body.Person.PersonId = 999_001;
    body.Person.Id = 999_002;
    const res = await add(groupId, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectSeedShape(res.body, SEED_RESPONSE_SHAPE);
    expect(res.body.Person).toMatchObject({ Title: 'sample string 1', FirstName: 'sample string 2', LastName: 'sample string 3', ContactName: 'sample string 1 sample string 2 sample string 3' });
    expect(res.body.Person.Addresses).toHaveLength(2);
    expect(res.body.Person.Addresses[0].Location.CenterPoint).toMatchObject({ Latitude: 2.1, Longitude: 3.1 });
    expect(res.body.Person.Addresses[0].CreatedBy.PrimaryEmail).toMatchObject({ Value: 'sample string 1', Name: 'sample string 5', Id: 6 });
    expect(res.body.Person.MarketingPreferences[0]).toMatchObject({ ServiceType: { Id: 1, Name: 'sample string 2', SystemName: 'sample string 3' }, Referral: true });
    // SystemName "sample string 3" names no type: resolved by Id 1.
    expect(res.body.RelationshipType).toEqual({ Id: 1, Name: 'Primary group member', SystemName: 'PrimaryGroupMember' });
    expect(res.body.Order).toBe(2);
    expect(res.body.Person.Id).not.toBe(999_001);
  });

  it('creates a contact from the person fields, for the caller, and the DFS GET shows it with the same type and order', async () => {
    const groupId = await newGroup(c[1]!, [{ contactId: c[2], order: 2 }]);
    const res = await add(
      groupId,
      {
        Person: {
          Title: 'Ms',
          FirstName: 'Anna',
          LastName: 'Muster',
          Gender: { SystemName: 'Female' },
          ContactItems: [
            { Type: { SystemName: 'Email' }, Value: 'second@example.com', ContactOrder: 3 },
            { Type: { SystemName: 'WorkPhone' }, Value: '+41 44 555 00 02', ContactOrder: 4 },
            { Type: { SystemName: 'Mobile', Name: 'Mobile' }, Value: '+41 79 555 00 01', ContactOrder: 2 },
            { Type: { SystemName: 'Email' }, Value: 'first@example.com', ContactOrder: 1 },
            { Type: { SystemName: 'Fax' }, Value: '+41 44 555 00 09', ContactOrder: 0 },
          ],
          Addresses: [{ Street: 'Bahnhofstrasse', Number: '1', Town: 'Zürich', Postcode: '8001' }],
          ServiceTypes: [{ Service: { Id: 3, SystemName: 'Lettings' }, Referral: false }],
          ExternalApplicantReference: 'APP-77',
        },
        RelationshipType: { SystemName: 'FamilyContact' },
      },
      member2,
      '?language=fr',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('content-language')).toBe('fr');
    const person = res.body.Person;
    expect(person.ContactName).toBe('Ms Anna Muster');
    expect(person.Gender).toEqual({ Id: null, Name: 'Female', SystemName: 'Female' });
    expect(person.PrimaryTelephone).toMatchObject({ Value: '+41 79 555 00 01', ContactOrder: 2, Name: 'Mobile' });
    expect(person.PrimaryEmail).toMatchObject({ Value: 'first@example.com', ContactOrder: 1 });
    expect(person.ContactItems).toHaveLength(5);
    expect(person.Addresses[0]).toMatchObject({ Street: 'Bahnhofstrasse', Location: null, CreatedBy: null });
    expect(person.MarketingPreferences).toEqual([
      { ServiceType: { Id: 3, Name: null, SystemName: 'Lettings' }, ServiceStatusType: null, Referral: false, ReferralStatusType: null, Id: null },
    ]);
    expect(person.ExternalApplicantReference).toBe('APP-77');
    expect(res.body.RelationshipType).toEqual({ Id: 5, Name: 'Contact familial', SystemName: 'FamilyContact' });
    expect(res.body.SystemStatus).toEqual({ Id: 1, Name: 'Actif', SystemName: 'Active' });
    expect(res.body.Order).toBe(3);

    // The DFS side sees the same contact, type and order.
    const got = await server.request('GET', `/v1.0/contactgroups/${groupId}`, { token: admin });
    const member = got.body.contacts.find((m: any) => m.contactId === person.Id);
    expect(member).toMatchObject({ firstName: 'Anna', lastName: 'Muster', order: 3, relationshipType: { systemName: 'FamilyContact' }, systemStatus: { systemName: 'Active' } });
    expect(got.headers.get('etag')).toBe('"2"');

    // Associated with the caller's participant, assigned to the member caller (both directions), registered by uid.
    const links = await getLinks(server.db, person.Id);
    expect(Object.keys(links!.participants)).toEqual([P1]);
    expect(Object.keys(links!.assignees)).toEqual(['2']);
    expect(links!.groups).toEqual({ [String(groupId)]: 1 });
    expect(await getItem(server.db, keys.memberAssignment(2, person.Id))).toBeDefined();
    const profile = await getProfile(server.db, person.Id);
    expect(await getItem(server.db, keys.contactUid(profile!.contactUid))).toMatchObject({ contactId: person.Id, version: 0 });
    expect(profile).toMatchObject({ email: 'first@example.com', phone: '+41 79 555 00 01', externalApplicantReference: 'APP-77' });
    // The assignee counts of the group include the new contact's member; the member keeps access to it.
    expect((await getGroupItem(server.db, groupId))?.assignees).toEqual({ '2': 3 });
    expect((await server.request('GET', `/v2.0/contacts/${person.Id}/contactgroups`, { token: member2 })).status).toBe(200);
  });

  it('creates a person when PersonId names no contact but the person has a last name; refuses it without one', async () => {
    const groupId = await newGroup(c[1]!);
    const created = await add(groupId, { Person: { PersonId: 888_888, LastName: 'Fallback' } });
    expect(created.status).toBe(200);
    expect(created.body.Person).toMatchObject({ LastName: 'Fallback', ContactName: 'Fallback', PrimaryEmail: null, PrimaryTelephone: null });
    expect(created.body.RelationshipType.SystemName).toBe('GroupMember');
    const refused = await add(groupId, { Person: { PersonId: 888_889 } });
    expect(dezrezError(refused)).toEqual({ status: 422, ErrorType: 'UnprocessableEntity', Details: 'ContactNotFound' });
  });
});

describe('existing person', () => {
  it('adds an existing contact by PersonId or by Id, with Order = max + 1', async () => {
    const groupId = await newGroup(c[1]!);
    const byPersonId = await add(groupId, { Person: { PersonId: c[2] }, RelationshipType: { Id: 3 } });
    expect(byPersonId.status).toBe(200);
    expect(byPersonId.body).toMatchObject({ Order: 2, RelationshipType: { SystemName: 'FamilyDependant' }, SystemStatus: { SystemName: 'Active' } });
    expect(byPersonId.body.Person).toMatchObject({
      Id: c[2],
      Title: 'Dr',
      ContactName: 'Dr First2 Last2',
      PrimaryEmail: { Value: 'c2@example.com', Type: { SystemName: 'Email' } },
      PrimaryTelephone: { Value: '+41 44 000 00 02', Type: { SystemName: 'Telephone' } },
    });
    const byId = await add(groupId, { Person: { Id: c[3] } });
    expect(byId.body).toMatchObject({ Order: 3, Person: { Id: c[3] }, RelationshipType: { SystemName: 'GroupMember' } });
    expect(byId.body.Id).not.toBe(byPersonId.body.Id);
  });

  it('returns the existing member for the same type (no write) and refuses another type', async () => {
    const groupId = await newGroup(c[1]!, [{ contactId: c[2], relationshipType: 'FamilyDependant' }]);
    const before = await getGroupItem(server.db, groupId);
    const same = await add(groupId, { Person: { PersonId: c[2] }, RelationshipType: { SystemName: 'FamilyDependant' } });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ Order: 2, Id: before!.contacts[1]!.membershipId, RelationshipType: { SystemName: 'FamilyDependant' } });
    expect((await getGroupItem(server.db, groupId))?.version).toBe(before!.version);
    const other = await add(groupId, { Person: { PersonId: c[2] }, RelationshipType: { SystemName: 'FriendContact' } });
    expect(other.status).toBe(422);
    expect(other.body).toEqual({
      Message: 'The person is already in the group with another relationship type.',
      ErrorReference: expect.stringMatching(/^[0-9a-f]{32}$/),
      Details: 'RelationshipTypeMismatch',
      ErrorType: 'UnprocessableEntity',
      ValidationErrors: [],
    });
  });
});

describe('rules and errors (Dezrez error body)', () => {
  it('refuses an unknown relationship type and a second primary member', async () => {
    const groupId = await newGroup(c[1]!, [{ contactId: c[2], relationshipType: 'PrimaryGroupMember' }]);
    const unknown = await add(groupId, { Person: { PersonId: c[3] }, RelationshipType: { SystemName: 'Cousin', Id: 99 } });
    expect(dezrezError(unknown)).toEqual({ status: 422, ErrorType: 'UnprocessableEntity', Details: 'UnknownRelationshipType' });
    expect(unknown.body.Message).toContain('PrimaryGroupMember');
    const second = await add(groupId, { Person: { PersonId: c[3] }, RelationshipType: { SystemName: 'PrimaryGroupMember' } });
    expect(dezrezError(second)).toEqual({ status: 422, ErrorType: 'UnprocessableEntity', Details: 'MultiplePrimaryGroupMembers' });
    const created = await add(groupId, { Person: { LastName: 'Nobody' }, RelationshipType: { SystemName: 'PrimaryGroupMember' } });
    expect(created.status).toBe(422);
    // Nothing of the refused person was written.
    expect((await getGroupItem(server.db, groupId))?.contacts).toHaveLength(2);
  });

  it('answers 400 with ValidationErrors for a malformed body', async () => {
    const groupId = await newGroup(c[1]!);
    const res = await add(groupId, { Person: { FirstName: 'No last name' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ErrorType: 'BadRequest', Details: 'InvalidBody', ValidationErrors: [{ PropertyName: 'Person.LastName' }] });
    expect((await add(groupId, { RelationshipType: { Id: 1 } })).status).toBe(400);
    expect((await add(groupId, { Person: { PersonId: 'x' } })).status).toBe(400);
  });

  it('answers 404 for an unknown group, 403 without access or without crs.write', async () => {
    expect(dezrezError(await add(999_999, { Person: { LastName: 'X' } }))).toEqual({ status: 404, ErrorType: 'NotFound', Details: 'GroupNotFound' });
    const foreign = await newGroup(c[4]!, [], 'Not member 2s');
    expect(dezrezError(await add(foreign, { Person: { LastName: 'X' } }, member2))).toEqual({ status: 403, ErrorType: 'Forbidden', Details: 'NoContactAccess' });
    const own = await newGroup(c[1]!);
    expect(dezrezError(await add(own, { Person: { PersonId: c[4] } }, member2))).toEqual({ status: 403, ErrorType: 'Forbidden', Details: 'NoContactAccess' });
    const reader = await server.token(callers.member(2, identityOf(2), 'crs.read'));
    expect(dezrezError(await add(own, { Person: { LastName: 'X' } }, reader))).toEqual({ status: 403, ErrorType: 'Forbidden', Details: 'MissingScope' });
    const contact = await server.token(callers.contact(c[1]!, uidOf(1)));
    expect(dezrezError(await add(own, { Person: { LastName: 'X' } }, contact))).toEqual({ status: 403, ErrorType: 'Forbidden', Details: 'ContactCannotWrite' });
    expect((await getGroupItem(server.db, own))?.contacts).toHaveLength(1);
  });

  it('refuses a 101st contact (GroupFull)', async () => {
    const out = await server.ingest(Array.from({ length: 100 }, (_, i) => ev.contactUpserted({ contactUid: uidOf(500 + i), lastName: `Bulk${i}`, version: 1 })));
    const ids = out.results.map((r) => r.contactId!);
    const groupId = await newGroup(ids[0]!, ids.slice(1).map((contactId) => ({ contactId })));
    const res = await add(groupId, { Person: { LastName: 'One too many' } });
    expect(dezrezError(res)).toEqual({ status: 422, ErrorType: 'UnprocessableEntity', Details: 'GroupFull' });
  });
});
