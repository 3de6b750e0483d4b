// ContactGroupAccess over real HTTP (SPEC 5.2): the four checks, who may ask about which subject (SPEC 3), the
// batch, direct invocation, and revocations/moves seen on the very next check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup, modifyGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { Caller } from '../../lib/domain/caller.js';

const P1 = '30000000-0000-4000-8000-000000000001';
const P2 = '30000000-0000-4000-8000-000000000002';
const UNKNOWN_IDENTITY = '99999999-0000-4000-8000-000000000999';
const now = '2026-01-01T00:00:00.000Z';
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };

let server: TestServer;
let segregated: TestServer;
const c: Record<'A' | 'B' | 'C' | 'D', number> = { A: 0, B: 0, C: 0, D: 0 };
let g1: number;
let g2: number;
let app: string;
let versions = 10;

const ingest = async (events: unknown[]) => {
  const { results } = await server.ingest(events);
  for (const r of results) expect(r.status, r.reason).toBe('applied');
  return results;
};
const guard = () => new AccessGuard(server.db, { dataSegregation: false }, admin);
const get = (path: string, token = app) => server.request('GET', path, { token });
const groupContact = (g: number, contactId: number | string) => `/v1.0/contact-groups/${g}/contacts/${contactId}/access`;
const groupIdentity = (g: number, identityId: string) => `/v1.0/contact-groups/${g}/identities/${identityId}/access`;
const contactEntity = (contactId: number, type: string, id: number) => `/v1.0/contact-groups/contacts/${contactId}/${type}/${id}/access`;
const identityEntity = (identityId: string, type: string, id: number) => `/v1.0/contact-groups/identities/${identityId}/${type}/${id}/access`;
const access = async (path: string, token = app) => {
  const res = await get(path, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.hasAccess as boolean;
};

beforeAll(async () => {
  server = await startTestServer();
  segregated = await startTestServer({ db: server.db, settings: { dataSegregation: true } });
  app = await server.token(callers.app(P1, 'crs.read'));
  // Hierarchy 1 → 2 → 3 (P1); 4 alone (P2); 5 inactive under 1.
  await ingest([
    ev.memberUpserted({ memberId: 1, participantUid: P1, version: 1 }),
    ev.memberUpserted({ memberId: 2, parentMemberId: 1, participantUid: P1, version: 1 }),
    ev.memberUpserted({ memberId: 3, parentMemberId: 2, participantUid: P1, version: 1 }),
    ev.memberUpserted({ memberId: 4, participantUid: P2, version: 1 }),
    ev.memberUpserted({ memberId: 5, parentMemberId: 1, participantUid: P1, isActive: false, version: 1 }),
  ]);
  const results = await ingest([
    ev.contactUpserted({ contactUid: uidOf(1), participantUids: [P1], version: 1 }),
    ev.contactUpserted({ contactUid: uidOf(2), participantUids: [P1], version: 1 }),
    ev.contactUpserted({ contactUid: uidOf(3), participantUids: [P2], version: 1 }),
    ev.contactUpserted({ contactUid: uidOf(4), participantUids: [P2], version: 1 }),
  ]);
  [c.A, c.B, c.C, c.D] = results.map((r) => r.contactId!) as [number, number, number, number];
  await changeAssignments(server.db, c.A, () => [3, 5], now);
  await changeAssignments(server.db, c.C, () => [4], now);
  g1 = await createGroup(server.db, guard(), { contactId: c.A, group: { groupName: 'G1', contacts: [{ contactId: c.B, systemStatus: 'Inactive' }] }, now });
  g2 = await createGroup(server.db, guard(), { contactId: c.C, group: { groupName: 'G2', contacts: [{ contactId: c.D }] }, now });
  await ingest([
    ev.entityLinked('Account', 100, g1, 1),
    ev.entityLinked('Portfolio', 200, g2, 1),
    ev.entityLinked('Account', 400, g1, 1),
    ev.entityUnlinked('Account', 400, 2),
  ]);
});

afterAll(async () => {
  await segregated?.stop();
  await server?.stop();
});

describe('the four checks', () => {
  it('contact → group: an Active member only', async () => {
    expect(await access(groupContact(g1, c.A))).toBe(true);
    expect(await access(groupContact(g1, c.B))).toBe(false); // Inactive membership
    expect(await access(groupContact(g1, c.C))).toBe(false);
    expect(await access(groupContact(g2, c.D))).toBe(true);
  });

  it('identity → group: assigned, or an ancestor of an assigned member; an inactive member has none', async () => {
    expect(await access(groupIdentity(g1, identityOf(3)))).toBe(true); // direct
    expect(await access(groupIdentity(g1, identityOf(2)))).toBe(true); // manager
    expect(await access(groupIdentity(g1, identityOf(1)))).toBe(true); // manager's manager
    expect(await access(groupIdentity(g1, identityOf(4)))).toBe(false);
    expect(await access(groupIdentity(g2, identityOf(4)))).toBe(true);
    expect(await access(groupIdentity(g2, identityOf(1)))).toBe(false);
    expect(await access(groupIdentity(g1, identityOf(5)))).toBe(false); // assigned to A, but inactive
  });

  it('contact/identity → entity: through the linked group; no link (never, or unlinked) → false', async () => {
    expect(await access(contactEntity(c.A, 'Account', 100))).toBe(true);
    expect(await access(contactEntity(c.B, 'Account', 100))).toBe(false);
    expect(await access(contactEntity(c.C, 'Portfolio', 200))).toBe(true);
    expect(await access(contactEntity(c.A, 'LegalEntity', 300))).toBe(false);
    expect(await access(contactEntity(c.A, 'Account', 400))).toBe(false);
    expect(await access(identityEntity(identityOf(1), 'Account', 100))).toBe(true);
    expect(await access(identityEntity(identityOf(1), 'Portfolio', 200))).toBe(false);
    expect(await access(identityEntity(identityOf(4), 'Portfolio', 200))).toBe(true);
    expect(await access(identityEntity(identityOf(3), 'Account', 400))).toBe(false);
    expect(await access(identityEntity(identityOf(3), 'PortfolioProposal', 1))).toBe(false);
  });

  it('unknown contact, identity or group → 404; an entity type outside the enum or a bad id → 400', async () => {
    const expectError = async (path: string, status: number, subCode: string) => {
      const res = await get(path);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ subCode, correlationId: expect.any(String) });
    };
    await expectError(groupContact(g1, 2_000_000_000), 404, 'ContactNotFound');
    await expectError(groupContact(2_000_000_000, c.A), 404, 'GroupNotFound');
    await expectError(groupIdentity(g1, UNKNOWN_IDENTITY), 404, 'IdentityNotFound');
    await expectError(groupIdentity(2_000_000_000, identityOf(1)), 404, 'GroupNotFound');
    await expectError(contactEntity(2_000_000_000, 'Account', 100), 404, 'ContactNotFound');
    await expectError(identityEntity(UNKNOWN_IDENTITY, 'Account', 100), 404, 'IdentityNotFound');
    await expectError(contactEntity(c.A, 'Car', 100), 400, 'InvalidPath');
    await expectError(contactEntity(c.A, 'account', 100), 400, 'InvalidPath');
    await expectError(identityEntity('not-a-uuid', 'Account', 100), 400, 'InvalidPath');
    await expectError(groupContact(g1, 0), 400, 'InvalidPath');
  });
});

describe('who may ask about which subject (SPEC 3)', () => {
  it('a member only about its own identity: 403 before anything is read (even for an unknown identity)', async () => {
    const token = await server.token(callers.member(3, identityOf(3), 'crs.read'));
    expect(await access(groupIdentity(g1, identityOf(3)), token)).toBe(true);
    expect(await access(identityEntity(identityOf(3).toUpperCase(), 'Account', 100), token)).toBe(true);
    for (const path of [groupIdentity(g1, identityOf(1)), groupIdentity(g1, UNKNOWN_IDENTITY), groupContact(g1, c.A), contactEntity(c.A, 'Account', 100)]) {
      server.db.log.reset();
      const res = await get(path, token);
      expect(res.status, path).toBe(403);
      expect(res.body.subCode).toBe('SubjectNotAllowed');
      expect(server.db.log.commands).toEqual([]);
    }
  });

  it('a contact only about itself', async () => {
    const token = await server.token(callers.contact(c.A, uidOf(1), 'crs.read'));
    expect(await access(groupContact(g1, c.A), token)).toBe(true);
    expect(await access(contactEntity(c.A, 'Account', 100), token)).toBe(true);
    expect((await get(groupContact(g1, c.B), token)).status).toBe(403);
    expect((await get(groupIdentity(g1, identityOf(3)), token)).status).toBe(403);
    expect((await get(groupContact(g1, 2_000_000_000), token)).status).toBe(403);
  });

  it('an application without segregation and an admin may ask about anyone; crs.read is required', async () => {
    expect(await access(groupIdentity(g2, identityOf(4)))).toBe(true);
    const adminToken = await server.token(callers.admin());
    expect(await access(groupContact(g2, c.C), adminToken)).toBe(true);
    const noRead = await server.token(callers.app(P1, 'crs.write'));
    const res = await get(groupContact(g1, c.A), noRead);
    expect(res.status).toBe(403);
    expect(res.body.subCode).toBe('MissingScope');
  });

  it('with segregation: only subjects of the application participant (404 for unknown, then 403)', async () => {
    const p1 = await segregated.token(callers.app(P1, 'crs.read'));
    const ask = (path: string, token = p1) => segregated.request('GET', path, { token });
    expect((await ask(groupContact(g1, c.A), p1)).body).toEqual({ hasAccess: true });
    expect((await ask(groupIdentity(g1, identityOf(1)), p1)).body).toEqual({ hasAccess: true });
    expect((await ask(groupContact(g2, c.C), p1)).status).toBe(403);
    expect((await ask(groupIdentity(g2, identityOf(4)), p1)).status).toBe(403);
    // An inaccessible subject is refused whatever the group: the group's existence is not revealed.
    expect((await ask(groupContact(2_000_000_000, c.C), p1)).status).toBe(403);
    expect((await ask(groupContact(g1, 2_000_000_000), p1)).status).toBe(404);
    const none = await segregated.token(callers.app(undefined, 'crs.read'));
    expect((await ask(groupContact(g1, c.A), none)).status).toBe(403);
    const adminToken = await segregated.token(callers.admin());
    expect((await ask(groupContact(g2, c.C), adminToken)).body).toEqual({ hasAccess: true });
  });
});

describe('batch', () => {
  const batch = (body: unknown, token = app, target = server) => target.request('POST', '/v1.0/contact-groups/access/batch', { token, body });

  it('answers in order; unknown subject, group or entity → false', async () => {
    const res = await batch({
      checks: [
        { contactId: c.A, contactGroupId: g1 },
        { contactId: c.B, contactGroupId: g1 },
        { identityId: identityOf(1), entityType: 'Account', entityId: 100 },
        { identityId: identityOf(1), entityType: 'Portfolio', entityId: 200 },
        { contactId: c.C, entityType: 'Portfolio', entityId: 200 },
        { contactId: 2_000_000_000, contactGroupId: g1 },
        { identityId: UNKNOWN_IDENTITY, contactGroupId: g1 },
        { contactId: c.A, contactGroupId: 2_000_000_000 },
        { contactId: c.A, entityType: 'LegalEntity', entityId: 300 },
        { identityId: identityOf(4), contactGroupId: g2 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { hasAccess: boolean }) => r.hasAccess)).toEqual([true, false, true, false, true, false, false, false, false, true]);
    expect((await batch({ checks: [] })).body).toEqual({ results: [] });
  });

  it('refuses the whole request for a subject the caller may not ask about', async () => {
    const member = await server.token(callers.member(3, identityOf(3), 'crs.read'));
    const res = await batch({ checks: [{ identityId: identityOf(3), contactGroupId: g1 }, { identityId: identityOf(1), contactGroupId: g1 }] }, member);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ subCode: 'SubjectNotAllowed', properties: { checks: [1] } });
    const own = await batch({ checks: [{ identityId: identityOf(3), contactGroupId: g1 }, { identityId: identityOf(3), contactGroupId: g2 }] }, member);
    expect(own.body).toEqual({ results: [{ hasAccess: true }, { hasAccess: false }] });

    const p1 = await segregated.token(callers.app(P1, 'crs.read'));
    const seg = await batch({ checks: [{ contactId: c.A, contactGroupId: g1 }, { contactId: c.C, contactGroupId: g2 }, { contactId: 2_000_000_000, contactGroupId: g2 }] }, p1, segregated);
    expect(seg.status).toBe(403);
    expect(seg.body.properties).toEqual({ checks: [1] });
  });

  it('rejects malformed payloads with 400', async () => {
    const tooMany = Array.from({ length: 101 }, () => ({ contactId: c.A, contactGroupId: g1 }));
    expect((await batch({ checks: tooMany })).body.subCode).toBe('TooManyItems');
    for (const check of [
      { contactId: c.A, identityId: identityOf(1), contactGroupId: g1 },
      { contactGroupId: g1 },
      { contactId: c.A },
      { contactId: c.A, contactGroupId: g1, entityType: 'Account', entityId: 1 },
      { contactId: c.A, entityType: 'Account' },
      { contactId: c.A, entityType: 'Car', entityId: 1 },
      { identityId: 'x', contactGroupId: g1 },
    ]) {
      const res = await batch({ checks: [check] });
      expect(res.status, JSON.stringify(check)).toBe(400);
      expect(res.body.subCode).toBe('InvalidBody');
    }
    expect((await batch({})).status).toBe(400);
    expect((await batch({ checks: null })).status).toBe(400);
  });
});

describe('direct invocation (no JWT, admin semantics)', () => {
  const invoke = (body: unknown) => server.request('POST', '/_local/invoke/contact-group-access', { body });

  it('answers the batch payload', async () => {
    const res = await invoke({ checks: [{ contactId: c.C, contactGroupId: g2 }, { identityId: identityOf(2), entityType: 'Account', entityId: 100 }, { contactId: c.A, contactGroupId: g2 }] });
    expect(res.body).toEqual({ results: [{ hasAccess: true }, { hasAccess: true }, { hasAccess: false }] });
  });

  it('returns a clear error object for a malformed payload', async () => {
    for (const payload of [null, 'checks', { checks: 'x' }, { checks: [{ contactId: -1, contactGroupId: 1 }] }]) {
      const res = await invoke(payload);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ error: { status: 400, code: 'BadRequest', subCode: 'InvalidBody', message: expect.any(String) } });
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts/);
    }
    const tooMany = await invoke({ checks: Array.from({ length: 101 }, () => ({ contactId: 1, contactGroupId: 1 })) });
    expect(tooMany.body.error).toMatchObject({ status: 400, subCode: 'TooManyItems' });
  });
});

describe('changes are seen on the very next check', () => {
  it('a revoked assignment or membership is denied on the next call', async () => {
    const member = await server.token(callers.member(2, identityOf(2), 'crs.read'));
    expect(await access(groupIdentity(g1, identityOf(2)), member)).toBe(true);
    await changeAssignments(server.db, c.A, () => [5], now);
    expect(await access(groupIdentity(g1, identityOf(2)), member)).toBe(false);
    expect(await access(identityEntity(identityOf(2), 'Account', 100))).toBe(false);
    // Member 1 still reaches A through member 5: an inactive member's assignments count for its managers.
    expect(await access(identityEntity(identityOf(1), 'Account', 100))).toBe(true);
    await changeAssignments(server.db, c.A, () => [3, 5], now);
    expect(await access(groupIdentity(g1, identityOf(2)), member)).toBe(true);

    await modifyGroup(server.db, guard(), { groupId: g1, group: { contacts: [{ contactId: c.A, systemStatus: 'Archived' }, { contactId: c.B }] }, now });
    expect(await access(groupContact(g1, c.A))).toBe(false);
    expect(await access(contactEntity(c.A, 'Account', 100))).toBe(false);
    expect(await access(groupIdentity(g1, identityOf(1)))).toBe(false);
    await modifyGroup(server.db, guard(), { groupId: g1, group: { contacts: [{ contactId: c.A }, { contactId: c.B, systemStatus: 'Inactive' }] }, now });
    expect(await access(groupContact(g1, c.A))).toBe(true);
  });

  it('a member moved to another parent gains and loses access on the next call', async () => {
    expect(await access(groupIdentity(g2, identityOf(1)))).toBe(false);
    await ingest([ev.memberUpserted({ memberId: 4, parentMemberId: 2, participantUid: P2, version: ++versions })]);
    expect(await access(groupIdentity(g2, identityOf(1)))).toBe(true);
    expect(await access(groupIdentity(g2, identityOf(2)))).toBe(true);
    expect(await access(identityEntity(identityOf(2), 'Portfolio', 200))).toBe(true);
    await ingest([ev.memberUpserted({ memberId: 4, parentMemberId: 5, participantUid: P2, version: ++versions })]);
    expect(await access(groupIdentity(g2, identityOf(2)))).toBe(false);
    expect(await access(groupIdentity(g2, identityOf(1)))).toBe(true);
    await ingest([ev.memberUpserted({ memberId: 4, participantUid: P2, version: ++versions })]);
    expect(await access(groupIdentity(g2, identityOf(1)))).toBe(false);
    expect(await access(groupIdentity(g2, identityOf(4)))).toBe(true);
  });

  it('an unlinked entity, a deleted contact and a deleted member are seen at once', async () => {
    await ingest([ev.entityLinked('LegalEntity', 500, g2, 1)]);
    expect(await access(contactEntity(c.D, 'LegalEntity', 500))).toBe(true);
    await ingest([ev.entityUnlinked('LegalEntity', 500, 2)]);
    expect(await access(contactEntity(c.D, 'LegalEntity', 500))).toBe(false);

    await ingest([ev.contactDeleted(uidOf(4), 2)]);
    expect((await get(groupContact(g2, c.D))).status).toBe(404);

    await ingest([ev.memberUpserted({ memberId: 6, parentMemberId: 4, participantUid: P2, version: 1 }), ev.memberDeleted(4, ++versions)]);
    expect((await get(groupIdentity(g2, identityOf(4)))).status).toBe(404);
    expect(await access(groupIdentity(g2, identityOf(6)))).toBe(false);
  });
});
