// The cost bound of access checks, measured over real HTTP: DynamoDB requests and sequential round trips per check
// across hierarchy depths 1..10, group sizes 1..100 and many assigned members, and per batch of 100 checks.
import { measure as measureCost } from '../support/fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { Caller } from '../../lib/domain/caller.js';

const now = '2026-01-01T00:00:00.000Z';
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const SIZES = [1, 2, 5, 10, 25, 50, 75, 100];
/** Chain 101 → 102 → … → 110: the member at depth d is 100 + d; the leaf (110) is assigned to the last contact. */
const atDepth = (d: number) => 100 + d;
const WIDE = Array.from({ length: 40 }, (_, i) => 200 + i); // roots assigned around, so groups hold many assignees
const OUTSIDER = 300;

let server: TestServer;
let token: string;
const contacts: number[] = [];
const groupOfSize = new Map<number, number>();
const entityOfSize = (size: number) => 1000 + size;

interface Cost {
  requests: number;
  rounds: number;
}
async function measure(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Cost & { body: any }> {
  const { result: res, cost } = await measureCost(server.db.log, () => server.request(method, path, { token, ...(body !== undefined && { body }) }));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { requests: cost.requests, rounds: cost.rounds, body: res.body };
}

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token(callers.app(undefined, 'crs.read'));
  const members = [
    ...DEPTHS.map((d) => ev.memberUpserted({ memberId: atDepth(d), ...(d > 1 && { parentMemberId: atDepth(d - 1) }), version: 1 })),
    ...[...WIDE, OUTSIDER].map((memberId) => ev.memberUpserted({ memberId, version: 1 })),
  ];
  const contactEvents = Array.from({ length: 100 }, (_, i) => ev.contactUpserted({ contactUid: uidOf(5000 + i), version: 1 }));
  const { results } = await server.ingest([...members, ...contactEvents]);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  contacts.push(...results.slice(members.length).map((r) => r.contactId!));
  for (const [i, contactId] of contacts.entries()) {
    const assigned = [WIDE[i % WIDE.length]!, WIDE[(i * 7 + 3) % WIDE.length]!, ...(i === 99 ? [atDepth(10)] : [])];
    await changeAssignments(server.db, contactId, () => assigned, now);
  }
  const guard = new AccessGuard(server.db, { dataSegregation: false }, admin);
  for (const size of SIZES) {
    // Each group holds the last `size` contacts: always the leaf-assigned one, so every chain member has access.
    const members = contacts.slice(100 - size);
    const groupId = await createGroup(server.db, guard, {
      contactId: members[0]!,
      group: { groupName: `Size ${size}`, contacts: members.map((contactId) => ({ contactId })) },
      now,
    });
    groupOfSize.set(size, groupId);
  }
  const { results: links } = await server.ingest(SIZES.map((size) => ev.entityLinked('Account', entityOfSize(size), groupOfSize.get(size)!, 1)));
  expect(links.every((r) => r.status === 'applied')).toBe(true);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('round trips per check', () => {
  it('identity checks: 1 round for a group, 2 for an entity, at every depth and group size', async () => {
    const figures: string[] = [];
    for (const size of SIZES) {
      const g = groupOfSize.get(size)!;
      for (const d of DEPTHS) {
        const group = await measure('GET', `/v1.0/contact-groups/${g}/identities/${identityOf(atDepth(d))}/access`);
        const entity = await measure('GET', `/v1.0/contact-groups/identities/${identityOf(atDepth(d))}/Account/${entityOfSize(size)}/access`);
        expect(group.body).toEqual({ hasAccess: true });
        expect(entity.body).toEqual({ hasAccess: true });
        expect(group).toMatchObject({ requests: 1, rounds: 1 });
        expect(entity).toMatchObject({ requests: 2, rounds: 2 });
        figures.push(`size ${size} depth ${d}: group ${group.rounds}/${group.requests}, entity ${entity.rounds}/${entity.requests}`);
      }
      // A member reaching none of the group's assignees: every count is looked at, still one read.
      const outsider = await measure('GET', `/v1.0/contact-groups/${g}/identities/${identityOf(OUTSIDER)}/access`);
      expect(outsider).toMatchObject({ requests: 1, rounds: 1, body: { hasAccess: false } });
    }
    console.log(`identity checks (rounds/requests), ${figures.length} combinations: all group 1/1, entity 2/2`);
  });

  it('contact checks: 1 round for a group, 2 for a linked entity, 1 for an unlinked one', async () => {
    for (const size of SIZES) {
      const g = groupOfSize.get(size)!;
      const member = contacts[99]!;
      const outside = contacts[0]!; // in the group of 100 only
      const group = await measure('GET', `/v1.0/contact-groups/${g}/contacts/${member}/access`);
      const entity = await measure('GET', `/v1.0/contact-groups/contacts/${outside}/Account/${entityOfSize(size)}/access`);
      expect(group).toMatchObject({ requests: 1, rounds: 1, body: { hasAccess: true } });
      expect(entity).toMatchObject({ requests: 2, rounds: 2, body: { hasAccess: size === 100 } });
    }
    const unlinked = await measure('GET', `/v1.0/contact-groups/contacts/${contacts[0]}/Portfolio/1/access`);
    expect(unlinked).toMatchObject({ requests: 1, rounds: 1, body: { hasAccess: false } });
  });

  it('a batch of 100 checks (every kind, every depth and size): at most 2 rounds (bound 4)', async () => {
    const checks = Array.from({ length: 100 }, (_, i) => {
      const size = SIZES[i % SIZES.length]!;
      const identityId = identityOf(atDepth(DEPTHS[i % DEPTHS.length]!));
      const contactId = contacts[(i * 13) % 100]!;
      switch (i % 4) {
        case 0:
          return { identityId, contactGroupId: groupOfSize.get(size)! };
        case 1:
          return { identityId, entityType: 'Account', entityId: entityOfSize(size) };
        case 2:
          return { contactId, contactGroupId: groupOfSize.get(size)! };
        default:
          return { contactId, entityType: 'Account', entityId: entityOfSize(size) };
      }
    });
    const http = await measure('POST', '/v1.0/contact-groups/access/batch', { checks });
    expect(http.body.results).toHaveLength(100);
    expect(http.rounds).toBeLessThanOrEqual(2);
    server.db.log.reset();
    const direct = await server.request('POST', '/_local/invoke/contact-group-access', { body: { checks } });
    expect(direct.body).toEqual(http.body);
    expect(server.db.log.rounds()).toBeLessThanOrEqual(2);
    console.log(`batch of 100: ${http.rounds} rounds, ${http.requests} requests (direct invocation: ${server.db.log.rounds()} rounds)`);

    // 100 distinct contacts and 8 entities: 108 keys, read as two parallel BatchGets (still one round), then the groups.
    const wide = contacts.map((contactId, i) => ({ contactId, entityType: 'Account', entityId: entityOfSize(SIZES[i % SIZES.length]!) }));
    const big = await measure('POST', '/v1.0/contact-groups/access/batch', { checks: wide });
    expect(big.rounds).toBeLessThanOrEqual(2);
    expect(big.body.results.filter((r: { hasAccess: boolean }) => r.hasAccess)).toHaveLength(
      contacts.filter((_, i) => i >= 100 - SIZES[i % SIZES.length]!).length,
    );
    console.log(`batch of 100 over 108 keys: ${big.rounds} rounds, ${big.requests} requests`);
  });
});
