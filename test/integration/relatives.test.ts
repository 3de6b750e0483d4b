// Relatives over HTTP (SPEC 5.4): list, link / re-type / unlink both directions, rules, authorization, round trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { queryPrefix } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';
import type { RelativeItem } from '../../lib/store/items.js';
import { RELATIVE_RELATIONSHIP_TYPE_NAMES } from '../../lib/domain/catalogues.js';

const P1 = '20000000-0000-4000-8000-000000000001';
const P2 = '20000000-0000-4000-8000-000000000002';
const now = '2026-01-01T00:00:00.000Z';

let server: TestServer;
let admin: string;
/** contact label → contactId */
const c: Record<string, number> = {};

async function contact(label: string, n: number, firstName: string, lastName: string, participantUids = [P1]) {
  const out = await server.ingest([ev.contactUpserted({ contactUid: uidOf(n), firstName, lastName, participantUids, version: 1 })]);
  c[label] = out.results[0]!.contactId!;
}

const rel = (a: number, b: number) => `/v1.1/contacts/${a}/relatives/${b}`;
const list = async (id: number, token = admin, query = '') => server.request('GET', `/v1.1/contacts/${id}/relatives${query}`, { token });
const put = (a: number, b: number, relationshipType: unknown, token = admin) => server.request('PUT', rel(a, b), { token, body: { relationshipType } });
const del = (a: number, b: number, token = admin) => server.request('DELETE', rel(a, b), { token });
const typesOf = async (id: number) => ((await list(id)).body as { contactId: number; relationshipType: { systemName: string } }[]).map((r) => [r.contactId, r.relationshipType.systemName]);
const rawRows = (id: number) => queryPrefix<RelativeItem>(server.db, keys.contactLinks(id).pk, keys.relativePrefix);

beforeAll(async () => {
  server = await startTestServer({ settings: { dataSegregation: true } });
  admin = await server.token(callers.admin());
  // Member 1 manages member 2; member 3 stands alone.
  await server.ingest([ev.memberUpserted({ memberId: 1, version: 1 }), ev.memberUpserted({ memberId: 2, parentMemberId: 1, version: 1 }), ev.memberUpserted({ memberId: 3, version: 1 })]);
  await contact('alice', 1, 'Alice', 'Smith');
  await contact('bob', 2, 'Bob', 'Smith');
  await contact('carol', 3, 'Carol', 'Adams');
  await contact('dan', 4, 'Dan', 'Baker');
  await contact('eve', 5, 'Eve', 'Zed', [P2]);
  await contact('gone', 6, 'Gone', 'Soon');
  await changeAssignments(server.db, c.alice!, () => [2], now);
  await changeAssignments(server.db, c.bob!, () => [2], now);
  await changeAssignments(server.db, c.carol!, () => [3], now);
});
afterAll(() => server?.stop());

describe('PUT / GET / DELETE relatives', () => {
  it('writes the reciprocal, re-types both sides and unlinks both directions idempotently', async () => {
    expect((await put(c.alice!, c.bob!, 'Parent')).status).toBe(204);
    expect(await typesOf(c.alice!)).toEqual([[c.bob, 'Parent']]);
    expect(await typesOf(c.bob!)).toEqual([[c.alice, 'Child']]);

    // Re-typing from the other side changes both sides.
    expect((await put(c.bob!, c.alice!, 'Sibling')).status).toBe(204);
    expect(await typesOf(c.alice!)).toEqual([[c.bob, 'Sibling']]);
    expect(await typesOf(c.bob!)).toEqual([[c.alice, 'Sibling']]);

    expect((await del(c.alice!, c.bob!)).status).toBe(204);
    expect(await typesOf(c.alice!)).toEqual([]);
    expect(await typesOf(c.bob!)).toEqual([]);
    expect(await rawRows(c.bob!)).toEqual([]);
    expect((await del(c.bob!, c.alice!)).status).toBe(204);
  });

  it('lists with localized types, ordered by type (catalogue order) then last and first name', async () => {
    await put(c.alice!, c.dan!, 'Child');
    await put(c.alice!, c.eve!, 'Sibling');
    await put(c.alice!, c.carol!, 'Child');
    await put(c.alice!, c.bob!, 'Parent');
    const res = await list(c.alice!, admin, '?language=de');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('de');
    expect(res.body).toEqual([
      { contactId: c.bob, contactUid: uidOf(2), firstName: 'Bob', lastName: 'Smith', relationshipType: { id: 3, name: 'Elternteil', systemName: 'Parent' } },
      { contactId: c.carol, contactUid: uidOf(3), firstName: 'Carol', lastName: 'Adams', relationshipType: { id: 4, name: 'Kind', systemName: 'Child' } },
      { contactId: c.dan, contactUid: uidOf(4), firstName: 'Dan', lastName: 'Baker', relationshipType: { id: 4, name: 'Kind', systemName: 'Child' } },
      { contactId: c.eve, contactUid: uidOf(5), firstName: 'Eve', lastName: 'Zed', relationshipType: { id: 5, name: 'Geschwister', systemName: 'Sibling' } },
    ]);
    const fr = await server.request('GET', `/v1.1/contacts/${c.carol}/relatives`, { token: admin, headers: { 'accept-language': 'fr-CH, de' } });
    expect(fr.body).toEqual([expect.objectContaining({ contactId: c.alice, relationshipType: { id: 3, name: 'Parent', systemName: 'Parent' } })]);
  });

  it('answers 422 for a self link and an unknown type, 400 for a malformed body or id, 404 for unknown contacts', async () => {
    const self = await put(c.alice!, c.alice!, 'Spouse');
    expect(self.status).toBe(422);
    expect(self.body).toMatchObject({ code: 'UnprocessableEntity', subCode: 'SelfRelative' });
    expect((await del(c.alice!, c.alice!)).body).toMatchObject({ code: 'UnprocessableEntity', subCode: 'SelfRelative' });

    const unknown = await put(c.alice!, c.bob!, 'Cousin');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ subCode: 'UnknownRelationshipType', properties: { values: ['Cousin'], allowed: RELATIVE_RELATIONSHIP_TYPE_NAMES } });
    expect(unknown.body.message).toContain('PowerOfAttorney');

    expect((await put(c.alice!, c.bob!, 3)).body).toMatchObject({ code: 'BadRequest', subCode: 'InvalidBody' });
    expect((await server.request('PUT', rel(c.alice!, c.bob!), { token: admin, body: {} })).status).toBe(400);
    expect((await server.request('PUT', rel(c.alice!, c.bob!), { token: admin, rawBody: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await server.request('GET', '/v1.1/contacts/abc/relatives', { token: admin })).status).toBe(400);
    expect((await server.request('DELETE', `/v1.1/contacts/${c.alice}/relatives/0`, { token: admin })).status).toBe(400);

    const missing = await put(c.alice!, 999_999, 'Spouse');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NotFound', subCode: 'ContactNotFound', properties: { ids: [999_999] } });
    expect((await del(999_999, c.alice!)).status).toBe(404);
    expect((await list(999_999)).body).toMatchObject({ subCode: 'ContactNotFound' });
    // The pair left as it was.
    expect(await typesOf(c.bob!)).toEqual([[c.alice, 'Child']]);
  });

  it('ContactDeleted removes the contact relative links on both sides', async () => {
    await put(c.gone!, c.alice!, 'Spouse');
    await put(c.gone!, c.bob!, 'Grandchild');
    expect(await typesOf(c.bob!)).toContainEqual([c.gone, 'Grandparent']);
    const out = await server.ingest([ev.contactDeleted(uidOf(6), 2)]);
    expect(out.results[0]!.status).toBe('applied');
    expect((await typesOf(c.alice!)).map(([id]) => id)).not.toContain(c.gone);
    expect(await typesOf(c.bob!)).toEqual([[c.alice, 'Child']]);
    expect(await rawRows(c.gone!)).toEqual([]);
    expect((await rawRows(c.alice!)).map((r) => r.relativeContactId)).not.toContain(c.gone);
    expect((await put(c.gone!, c.alice!, 'Spouse')).status).toBe(404);
  });
});

describe('authorization', () => {
  const member = (id: number, scope?: string) => server.token(callers.member(id, identityOf(id), scope));

  it('lets a writer with access to both contacts write (direct and hierarchy)', async () => {
    expect((await put(c.alice!, c.bob!, 'Spouse', await member(2))).status).toBe(204);
    expect((await put(c.alice!, c.bob!, 'Parent', await member(1))).status).toBe(204);
    expect((await del(c.alice!, c.bob!, await member(1))).status).toBe(204);
    expect((await put(c.alice!, c.bob!, 'Parent', await member(2))).status).toBe(204);
  });

  it('refuses a member without access to either contact, and leaves the pair unchanged', async () => {
    const stranger = await member(3); // assigned to carol only
    for (const res of [await put(c.alice!, c.bob!, 'Spouse', stranger), await del(c.alice!, c.bob!, stranger)]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'Forbidden', subCode: 'NoContactAccess' });
    }
    // Access to one side is not enough.
    expect((await put(c.carol!, c.bob!, 'Spouse', stranger)).body).toMatchObject({ subCode: 'NoContactAccess', properties: { contactIds: [c.bob] } });
    expect((await put(c.alice!, c.carol!, 'Spouse', await member(2))).status).toBe(403);
    expect((await del(c.alice!, c.carol!, await member(2))).status).toBe(403);
    expect(await typesOf(c.alice!)).toContainEqual([c.bob, 'Parent']);
    expect(await typesOf(c.alice!)).toContainEqual([c.carol, 'Child']);
  });

  it('refuses a contact writing and a writer without crs.write', async () => {
    const self = await server.token(callers.contact(c.alice!, uidOf(1)));
    for (const res of [await put(c.alice!, c.bob!, 'Spouse', self), await del(c.alice!, c.bob!, self)]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ subCode: 'ContactCannotWrite' });
    }
    const reader = await member(2, 'crs.read');
    for (const res of [await put(c.alice!, c.bob!, 'Spouse', reader), await del(c.alice!, c.bob!, reader)]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ subCode: 'MissingScope', properties: { scope: 'crs.write' } });
    }
    expect(await typesOf(c.alice!)).toContainEqual([c.bob, 'Parent']);
  });

  it('lists every relative (names only) to a caller with access to the contact, also inaccessible ones', async () => {
    const res = await list(c.alice!, await member(2)); // member 2 cannot access carol, dan or eve
    expect(res.status).toBe(200);
    expect(res.body.map((r: { contactId: number }) => r.contactId)).toEqual([c.bob, c.carol, c.dan, c.eve]);
    expect((await list(c.alice!, await member(3))).body).toMatchObject({ code: 'Forbidden', subCode: 'NoContactAccess' });
    expect((await list(c.alice!, await member(2, 'crs.write'))).body).toMatchObject({ subCode: 'MissingScope' });
  });

  it('shows a contact only its own relatives', async () => {
    const self = await server.token(callers.contact(c.alice!, uidOf(1), 'crs.read'));
    const own = await list(c.alice!, self);
    expect(own.status).toBe(200);
    expect(own.body).toHaveLength(4);
    expect((await list(c.bob!, self)).body).toMatchObject({ code: 'Forbidden', subCode: 'NoContactAccess' });
  });

  it('applies data segregation to applications', async () => {
    const app1 = await server.token(callers.app(P1));
    const app2 = await server.token(callers.app(P2));
    expect((await list(c.alice!, app1)).status).toBe(200);
    expect((await list(c.alice!, app2)).status).toBe(403);
    expect((await put(c.alice!, c.eve!, 'Other', app1)).body).toMatchObject({ subCode: 'NoContactAccess', properties: { contactIds: [c.eve] } });
    expect((await put(c.alice!, c.eve!, 'Other', admin)).status).toBe(204);
  });
});

describe('DynamoDB round trips', () => {
  it('GET: one round for access + Query, one BatchGet for the names', async () => {
    const token = await server.token(callers.member(2, identityOf(2)));
    server.db.log.reset();
    expect((await list(c.alice!, token)).status).toBe(200);
    expect(server.db.log.rounds()).toBe(2);
    expect([...server.db.log.commands].sort()).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'QueryCommand']);
  });

  it('PUT and DELETE: one read round (access + the pair), one transaction; nothing to change costs the read only', async () => {
    const token = await server.token(callers.member(2, identityOf(2)));
    const measure = async (run: () => Promise<{ status: number }>, status: number) => {
      server.db.log.reset();
      expect((await run()).status).toBe(status);
      return { rounds: server.db.log.rounds(), commands: [...server.db.log.commands].sort() };
    };
    const write = { rounds: 2, commands: ['BatchGetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand'] };
    const noop = { rounds: 1, commands: ['BatchGetItemCommand', 'BatchGetItemCommand'] };
    expect(await measure(() => put(c.alice!, c.bob!, 'Spouse', token), 204)).toEqual(write);
    expect(await measure(() => put(c.alice!, c.bob!, 'Spouse', token), 204)).toEqual(noop);
    expect(await measure(() => del(c.alice!, c.bob!, token), 204)).toEqual(write);
    expect(await measure(() => del(c.alice!, c.bob!, token), 204)).toEqual(noop);
  });
});
