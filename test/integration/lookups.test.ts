// Lookups (SPEC 5.6) and explained checks (SPEC 5.2) over real HTTP with real JWTs, on DynamoDB Local with the
// reach index projected from the table's stream as the `project` function does it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';

const P1 = '61000000-0000-4000-8000-000000000001';
const P2 = '61000000-0000-4000-8000-000000000002';
let server: TestServer;
let admin: string;
const c: Record<string, number> = {};
const g: Record<string, number> = {};

/**
 * Members: 1 (root) → 2 → 3; 1 → 4; 5 inactive (under 1). Contacts: C1 (assigned 3), C2 (assigned 4), C3 (assigned
 * 2), C4 (assigned 5). Groups: G1 {C1}, G2 {C2 Inactive}, G3 {C1, C2}, G4 {C4}. Entities: Account 1 → G1, Account 2 → G3,
 * Portfolio 3 → G2.
 */
beforeAll(async () => {
  server = await startTestServer({ projection: true });
  admin = await server.token(callers.admin());
  const members = [
    ev.memberUpserted({ memberId: 1, version: 1, participantUid: P1 }),
    ev.memberUpserted({ memberId: 2, parentMemberId: 1, version: 1, participantUid: P1 }),
    ev.memberUpserted({ memberId: 3, parentMemberId: 2, version: 1, participantUid: P1 }),
    ev.memberUpserted({ memberId: 4, parentMemberId: 1, version: 1, participantUid: P2 }),
    ev.memberUpserted({ memberId: 5, parentMemberId: 1, version: 1, isActive: false }),
  ];
  const contacts = [1, 2, 3, 4].map((n) => ev.contactUpserted({ contactUid: uidOf(6100 + n), firstName: `C${n}`, participantUids: [n === 2 ? P2 : P1], version: 1 }));
  const { results } = await server.ingest([...members, ...contacts]);
  expect(results.every((r) => r.status === 'applied')).toBe(true);
  results.slice(members.length).forEach((r, i) => (c[`C${i + 1}`] = r.contactId!));
  const assign = async (contact: number, memberIds: number[]) =>
    expect((await server.request('PUT', `/v1.0/contacts/${contact}/members`, { token: admin, body: { memberIds } })).status).toBe(204);
  await assign(c.C1!, [3]);
  await assign(c.C2!, [4]);
  await assign(c.C3!, [2]);
  await assign(c.C4!, [5]);
  const create = async (name: string, contacts: { contactId: number; systemStatus?: string }[]) => {
    const res = await server.request('POST', `/v2.0/contacts/${contacts[0]!.contactId}/contactgroups`, { token: admin, body: { groupName: name, contacts } });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  g.G1 = await create('G1', [{ contactId: c.C1! }]);
  g.G2 = await create('G2', [{ contactId: c.C2!, systemStatus: 'Inactive' }]);
  g.G3 = await create('G3', [{ contactId: c.C1! }, { contactId: c.C2! }]);
  g.G4 = await create('G4', [{ contactId: c.C4! }]);
  const links = await server.ingest([ev.entityLinked('Account', 1, g.G1, 1), ev.entityLinked('Account', 2, g.G3, 1), ev.entityLinked('Portfolio', 3, g.G2, 1)]);
  expect(links.results.every((r) => r.status === 'applied')).toBe(true);
  await server.projected();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Every item of a full cursor walk (pageSize given), checking that no id comes twice and ids ascend. */
async function walk(path: string, token: string, pageSize: number) {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res: { status: number; body: any } = await server.request('GET', `${path}?pageSize=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('walk did not end');
}
const idOf = (item: any) => item.contactId ?? item.contactGroupId ?? item.entityId;

describe('lookups', () => {
  it('a member sees its own contacts (Direct) and those of members below it (Hierarchy, via the nearest)', async () => {
    const root = await walk(`/v1.0/identities/${identityOf(1)}/accessible/contacts`, admin, 100);
    expect(root).toEqual(
      [
        { contactId: c.C1, contactUid: uidOf(6101), accessType: 'Hierarchy', viaMemberId: 3 },
        { contactId: c.C2, contactUid: uidOf(6102), accessType: 'Hierarchy', viaMemberId: 4 },
        { contactId: c.C3, contactUid: uidOf(6103), accessType: 'Hierarchy', viaMemberId: 2 },
        { contactId: c.C4, contactUid: uidOf(6104), accessType: 'Hierarchy', viaMemberId: 5 },
      ].sort((a, b) => a.contactId! - b.contactId!),
    );
    const mid = await walk(`/v1.0/identities/${identityOf(2)}/accessible/contacts`, admin, 100);
    expect(mid.map((i) => [i.contactId, i.accessType])).toEqual(
      [[c.C1, 'Hierarchy'], [c.C3, 'Direct']].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    // Every page size walks every item exactly once, in ascending order.
    for (const size of [1, 2, 3]) expect((await walk(`/v1.0/identities/${identityOf(1)}/accessible/contacts`, admin, size)).map(idOf)).toEqual(root.map(idOf));
  });

  it('groups: those holding an Active contact the member reaches; entities: those linked to them', async () => {
    expect((await walk(`/v1.0/identities/${identityOf(3)}/accessible/contact-groups`, admin, 1)).map((i) => i.contactGroupId)).toEqual([g.G1, g.G3]);
    expect((await walk(`/v1.0/identities/${identityOf(4)}/accessible/contact-groups`, admin, 10)).map((i) => i.groupName)).toEqual(['G3']);
    expect(await walk(`/v1.0/identities/${identityOf(1)}/accessible/Account`, admin, 1)).toEqual([
      { entityType: 'Account', entityId: 1, contactGroupId: g.G1 },
      { entityType: 'Account', entityId: 2, contactGroupId: g.G3 },
    ]);
    // G2 holds C2 only as Inactive: its Portfolio is nobody's.
    expect(await walk(`/v1.0/identities/${identityOf(1)}/accessible/Portfolio`, admin, 10)).toEqual([]);
    expect(await walk(`/v1.0/contacts/${c.C2}/accessible/Account`, admin, 10)).toEqual([{ entityType: 'Account', entityId: 2, contactGroupId: g.G3 }]);
    expect(await walk(`/v1.0/contacts/${c.C2}/accessible/Portfolio`, admin, 10)).toEqual([]);
  });

  it('a revocation disappears at once; a new access shows once projected', async () => {
    const path = `/v1.0/identities/${identityOf(4)}/accessible/contacts`;
    await server.request('PUT', `/v1.0/contacts/${c.C2}/members`, { token: admin, body: { memberIds: [] } });
    // No waiting for the projector: the row is still there, the verification drops it.
    expect(await walk(path, admin, 10)).toEqual([]);
    expect(await walk(`/v1.0/identities/${identityOf(4)}/accessible/contact-groups`, admin, 10)).toEqual([]);
    await server.request('PUT', `/v1.0/contacts/${c.C2}/members`, { token: admin, body: { memberIds: [4] } });
    await server.projected();
    expect((await walk(path, admin, 10)).map(idOf)).toEqual([c.C2]);
  });

  it('a subtree move: the new manager sees its contacts once projected, the old one never again', async () => {
    await server.ingest([ev.memberUpserted({ memberId: 3, parentMemberId: 4, version: 2, participantUid: P1 })]);
    expect((await walk(`/v1.0/identities/${identityOf(2)}/accessible/contacts`, admin, 10)).map(idOf)).toEqual([c.C3]);
    await server.projected();
    expect((await walk(`/v1.0/identities/${identityOf(4)}/accessible/contacts`, admin, 10)).map(idOf)).toEqual([c.C1, c.C2].sort((a, b) => a! - b!));
    await server.ingest([ev.memberUpserted({ memberId: 3, parentMemberId: 2, version: 3, participantUid: P1 })]);
    await server.projected();
    expect((await walk(`/v1.0/identities/${identityOf(4)}/accessible/contacts`, admin, 10)).map(idOf)).toEqual([c.C2]);
  });

  it('who may ask: as for the checks; unknown subject 404; inactive subject an empty page', async () => {
    const self = await server.token(callers.member(3, identityOf(3), 'crs.read'));
    expect((await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/contacts`, { token: self })).status).toBe(200);
    const other = await server.request('GET', `/v1.0/identities/${identityOf(1)}/accessible/contacts`, { token: self });
    expect([other.status, other.body.subCode]).toEqual([403, 'SubjectNotAllowed']);
    const contact = await server.token({ caller_type: 'contact', sub: 'c2', contact_id: c.C2, scope: 'crs.read' } as never);
    expect((await server.request('GET', `/v1.0/contacts/${c.C2}/accessible/Account`, { token: contact })).status).toBe(200);
    expect((await server.request('GET', `/v1.0/contacts/${c.C1}/accessible/Account`, { token: contact })).status).toBe(403);
    expect((await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/contacts`, { token: contact })).status).toBe(403);
    const noScope = await server.token(callers.app(undefined, 'crs.write'));
    expect((await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/contacts`, { token: noScope })).status).toBe(403);
    expect((await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/contacts`)).status).toBe(401);
    const unknown = await server.request('GET', `/v1.0/identities/${identityOf(999)}/accessible/contacts`, { token: admin });
    expect([unknown.status, unknown.body.subCode]).toEqual([404, 'IdentityNotFound']);
    expect((await server.request('GET', `/v1.0/contacts/999999/accessible/Account`, { token: admin })).status).toBe(404);
    expect(await server.request('GET', `/v1.0/identities/${identityOf(5)}/accessible/contacts`, { token: admin })).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
    const badType = await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/Houses`, { token: admin });
    expect([badType.status, badType.body.subCode]).toEqual([400, 'InvalidPath']);
    for (const size of ['0', '501', 'x', '-1']) {
      const res = await server.request('GET', `/v1.0/identities/${identityOf(3)}/accessible/contacts?pageSize=${size}`, { token: admin });
      expect([res.status, res.body.subCode]).toEqual([400, 'InvalidQuery']);
    }
  });

  it('with data segregation an application sees only its participant\'s contacts, and the groups and entities reached through them', async () => {
    const segregated = await startTestServer({ db: server.db, settings: { dataSegregation: true } });
    try {
      const app1 = await segregated.token(callers.app(P1, 'crs.read'));
      const contacts = await segregated.request('GET', `/v1.0/identities/${identityOf(2)}/accessible/contacts`, { token: app1 });
      expect(contacts.status).toBe(200);
      expect(contacts.body.items.map(idOf)).toEqual([c.C1, c.C3].sort((a, b) => a! - b!));
      // Member 4 belongs to P2: app1 may not ask about it.
      expect((await segregated.request('GET', `/v1.0/identities/${identityOf(4)}/accessible/contacts`, { token: app1 })).status).toBe(403);
      const app2 = await segregated.token(callers.app(P2, 'crs.read'));
      // G3 holds C1 (P1) and C2 (P2): readable by app2 through C2.
      const groups = await segregated.request('GET', `/v1.0/identities/${identityOf(4)}/accessible/contact-groups`, { token: app2 });
      expect(groups.body.items.map(idOf)).toEqual([g.G3]);
    } finally {
      await segregated.stop();
    }
  });

  it('a cursor is bound to its caller, subject and path: elsewhere or altered → 400 InvalidCursor', async () => {
    const path = `/v1.0/identities/${identityOf(1)}/accessible/contacts`;
    const first = await server.request('GET', `${path}?pageSize=1`, { token: admin });
    const cursor = first.body.nextCursor as string;
    expect(typeof cursor).toBe('string');
    const reuse = (p: string, token = admin, cur = cursor) => server.request('GET', `${p}?pageSize=1&cursor=${encodeURIComponent(cur)}`, { token });
    expect((await reuse(path)).status).toBe(200);
    const otherApp = await server.token({ ...callers.admin(), sub: 'another-app' });
    for (const res of [
      await reuse(`/v1.0/identities/${identityOf(2)}/accessible/contacts`),
      await reuse(`/v1.0/identities/${identityOf(1)}/accessible/contact-groups`),
      await reuse(path, otherApp),
      await reuse(path, admin, `${cursor.slice(0, -2)}xx`),
      await reuse(path, admin, `e30.${cursor.split('.')[1]}`),
      await reuse(path, admin, 'not-a-cursor'),
    ]) {
      expect([res.status, res.body.subCode]).toEqual([400, 'InvalidCursor']);
    }
  });
});

describe('explained checks (SPEC 5.2)', () => {
  const explain = async (path: string, language = 'en') => (await server.request('GET', `${path}?explain=true&language=${language}`, { token: admin })).body;

  it('names the path that grants access, at no extra cost', async () => {
    expect(await explain(`/v1.0/contact-groups/${g.G1}/contacts/${c.C1}/access`)).toEqual({
      hasAccess: true,
      reason: { code: 'ActiveMembership', contactId: c.C1, contactGroupId: g.G1, message: `Contact ${c.C1} is an active member of contact group ${g.G1}.` },
    });
    expect((await explain(`/v1.0/contact-groups/${g.G1}/identities/${identityOf(3)}/access`)).reason).toMatchObject({ code: 'DirectAssignment', memberId: 3, contactId: c.C1, contactGroupId: g.G1 });
    const hierarchy = await explain(`/v1.0/contact-groups/identities/${identityOf(1)}/Account/1/access`, 'de');
    expect(hierarchy.reason).toMatchObject({ code: 'Hierarchy', memberId: 1, viaMemberId: 3, depth: 2, contactId: c.C1, contactGroupId: g.G1 });
    expect(hierarchy.reason.message).toMatch(/^Mitarbeiter 1 steht 2 Ebene/);
    await server.projected();
    server.db.log.reset();
    await server.request('GET', `/v1.0/contact-groups/${g.G1}/identities/${identityOf(1)}/access?explain=true`, { token: admin });
    const explained = server.db.log.rounds();
    server.db.log.reset();
    await server.request('GET', `/v1.0/contact-groups/${g.G1}/identities/${identityOf(1)}/access`, { token: admin });
    expect(explained).toBe(server.db.log.rounds());
  });

  it('names the levels as they are after a branch moved to another depth (older copies do not tell them)', async () => {
    // 30 → 31 → 32, contact assigned to 32 in its own group; 32 then moves up under 30: 1 level, not 2.
    await server.ingest([ev.memberUpserted({ memberId: 30, version: 1 }), ev.memberUpserted({ memberId: 31, parentMemberId: 30, version: 1 }), ev.memberUpserted({ memberId: 32, parentMemberId: 31, version: 1 })]);
    const { results } = await server.ingest([ev.contactUpserted({ contactUid: uidOf(6300), version: 1 })]);
    const contact = results[0]!.contactId!;
    await server.request('PUT', `/v1.0/contacts/${contact}/members`, { token: admin, body: { memberIds: [32] } });
    const group = (await server.request('POST', `/v2.0/contacts/${contact}/contactgroups`, { token: admin, body: { groupName: 'Levels' } })).body.id;
    const path = `/v1.0/contact-groups/${group}/identities/${identityOf(30)}/access`;
    expect((await explain(path)).reason).toMatchObject({ code: 'Hierarchy', viaMemberId: 32, depth: 2 });
    await server.ingest([ev.memberUpserted({ memberId: 32, parentMemberId: 30, version: 2 })]);
    expect((await explain(path)).reason).toMatchObject({ code: 'Hierarchy', viaMemberId: 32, depth: 1 });
    // The plain check still answers from the copies (30 stays above 32): one round trip.
    await server.projected();
    server.db.log.reset();
    expect((await server.request('GET', path, { token: admin })).body).toEqual({ hasAccess: true });
    expect(server.db.log.rounds()).toBe(1);
  });

  it('names the nearest assigned member even when only a farther one has a copy that holds', async () => {
    // 40 → 41 → 42 → 43, where 43 arrived before its manager 42 (adopted later, which stamps 40's levels after 41's
    // list was written). A contact assigned to 42 and 41: 41's copy predates 40's stamp, 42's does not. The nearest is
    // 41, one level below 40 (found by the 1000-world oracle run: the answer named 42).
    await server.ingest([ev.memberUpserted({ memberId: 40, version: 1 }), ev.memberUpserted({ memberId: 41, parentMemberId: 40, version: 1 })]);
    await server.ingest([ev.memberUpserted({ memberId: 43, parentMemberId: 42, version: 1 })]);
    await server.ingest([ev.memberUpserted({ memberId: 42, parentMemberId: 41, version: 1 })]);
    const { results } = await server.ingest([ev.contactUpserted({ contactUid: uidOf(6400), version: 1 })]);
    const contact = results[0]!.contactId!;
    await server.request('PUT', `/v1.0/contacts/${contact}/members`, { token: admin, body: { memberIds: [42, 41] } });
    const group = (await server.request('POST', `/v2.0/contacts/${contact}/contactgroups`, { token: admin, body: { groupName: 'Nearest' } })).body.id;
    await server.projected();
    const page = await server.request('GET', `/v1.0/identities/${identityOf(40)}/accessible/contacts`, { token: admin });
    expect(page.body.items).toEqual([{ contactId: contact, contactUid: uidOf(6400), accessType: 'Hierarchy', viaMemberId: 41 }]);
    expect((await explain(`/v1.0/contact-groups/${group}/identities/${identityOf(40)}/access`)).reason).toMatchObject({ code: 'Hierarchy', viaMemberId: 41, depth: 1 });
  });

  it('names the first rule that denies', async () => {
    expect((await explain(`/v1.0/contact-groups/${g.G1}/contacts/${c.C2}/access`)).reason).toMatchObject({ code: 'NotAMember', contactId: c.C2, contactGroupId: g.G1 });
    expect((await explain(`/v1.0/contact-groups/${g.G2}/contacts/${c.C2}/access`)).reason).toMatchObject({ code: 'MembershipNotActive' });
    expect((await explain(`/v1.0/contact-groups/${g.G1}/identities/${identityOf(4)}/access`)).reason).toMatchObject({ code: 'NoAccessibleContact', memberId: 4, contactGroupId: g.G1 });
    expect((await explain(`/v1.0/contact-groups/identities/${identityOf(1)}/Account/77/access`)).reason).toMatchObject({ code: 'EntityNotLinked' });
    expect((await explain(`/v1.0/contact-groups/${g.G4}/identities/${identityOf(5)}/access`)).reason).toMatchObject({ code: 'SubjectInactive', memberId: 5 });
    // Without explain the answer is unchanged and carries no reason.
    expect((await server.request('GET', `/v1.0/contact-groups/${g.G1}/contacts/${c.C2}/access`, { token: admin })).body).toEqual({ hasAccess: false });
  });

  it('an inactive contact is denied every check', async () => {
    await server.ingest([ev.contactUpserted({ contactUid: uidOf(6101), isActive: false, version: 2 })]);
    expect(await explain(`/v1.0/contact-groups/${g.G1}/contacts/${c.C1}/access`)).toMatchObject({ hasAccess: false, reason: { code: 'SubjectInactive', contactId: c.C1 } });
    await server.ingest([ev.contactUpserted({ contactUid: uidOf(6101), isActive: true, version: 3 })]);
    expect((await explain(`/v1.0/contact-groups/${g.G1}/contacts/${c.C1}/access`)).hasAccess).toBe(true);
  });

  it('the batch explains every result when asked, in the request language', async () => {
    const res = await server.request('POST', '/v1.0/contact-groups/access/batch?language=fr', {
      token: admin,
      body: { explain: true, checks: [{ contactId: c.C1, contactGroupId: g.G1 }, { identityId: identityOf(999), contactGroupId: g.G1 }, { contactId: c.C2, entityType: 'Account', entityId: 2 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => [r.hasAccess, r.reason.code])).toEqual([[true, 'ActiveMembership'], [false, 'NoAccessibleContact'], [true, 'ActiveMembership']]);
    expect(res.body.results[0].reason.message).toMatch(/^Le contact/);
  });
});

describe('lookups under concurrent writers', () => {
  it('a cursor walk never returns a contact that was not accessible while it was read', async () => {
    // Subject 10 heads member 11; 20 contacts are toggled on and off member 11 while walks run, 10 more are toggled on
    // member 12 (outside 10's tree: never accessible to it).
    await server.ingest([
      ev.memberUpserted({ memberId: 10, version: 1 }),
      ev.memberUpserted({ memberId: 11, parentMemberId: 10, version: 1 }),
      ev.memberUpserted({ memberId: 12, version: 1 }),
    ]);
    const created = await server.ingest(Array.from({ length: 30 }, (_, i) => ev.contactUpserted({ contactUid: uidOf(6200 + i), version: 1 })));
    const inside = created.results.slice(0, 20).map((r) => r.contactId!);
    const outside = created.results.slice(20).map((r) => r.contactId!);
    // All twenty assigned and projected first: the first walk sees them all, then the writers toggle them.
    for (const contact of inside) await server.request('PUT', `/v1.0/contacts/${contact}/members`, { token: admin, body: { memberIds: [11] } });
    await server.projected();
    /** contactId → the windows [start, end] during which it may have been assigned to member 11. */
    const windows = new Map<number, [number, number][]>();
    const open = new Map<number, number>(inside.map((c) => [c, 0]));
    let stop = false;
    const writer = async (seed: number) => {
      for (let i = 0; !stop; i++) {
        const contact = inside[(seed * 7 + i) % inside.length]!;
        const assign = !open.has(contact);
        const start = performance.now();
        if (assign) open.set(contact, start);
        await server.request('PUT', `/v1.0/contacts/${contact}/members`, { token: admin, body: { memberIds: assign ? [11] : [] } });
        if (!assign) {
          windows.set(contact, [...(windows.get(contact) ?? []), [open.get(contact)!, performance.now()]]);
          open.delete(contact);
        }
        const other = outside[(seed + i) % outside.length]!;
        await server.request('PUT', `/v1.0/contacts/${other}/members`, { token: admin, body: { memberIds: i % 2 ? [12] : [] } });
      }
    };
    const seen: string[] = [];
    let writers: Promise<void>[] = [];
    const started = performance.now();
    for (let walks = 0; walks < 2 || performance.now() - started < 4_000; walks++) {
      let cursor: string | null = null;
      do {
        const asked = performance.now();
        const res: { status: number; body: any } = await server.request('GET', `/v1.0/identities/${identityOf(10)}/accessible/contacts?pageSize=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
        const answered = performance.now();
        expect(res.status).toBe(200);
        for (const item of res.body.items) {
          expect(outside).not.toContain(item.contactId);
          const spans = [...(windows.get(item.contactId) ?? []), ...(open.has(item.contactId) ? [[open.get(item.contactId)!, Infinity] as [number, number]] : [])];
          // Assigned (or being assigned) at some moment between the request and the answer.
          expect(spans.some(([from, to]) => from <= answered && to >= asked), `contact ${item.contactId}`).toBe(true);
          seen.push(`${item.contactId}`);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      // The writers start once a first walk has seen every contact.
      if (walks === 0) writers = [writer(1), writer(2)];
    }
    stop = true;
    await Promise.all(writers);
    expect(seen.length).toBeGreaterThanOrEqual(inside.length);
  }, 60_000);
});
