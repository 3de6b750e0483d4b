// Reorganisations larger than one transaction, on DynamoDB Local: a branch of 110 advisors moves to another region,
// a failure is injected between its writes, and while it is half-done no check grants what neither the old nor the
// new tree grants; the redelivered event finishes it (never doubles it); writers below it wait, or finish an
// abandoned one themselves.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, identityOf, uidOf } from '../support/events.js';
import { snapshot } from '../support/snapshot.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { checkAccessBatch, INTERNAL_INVOKER, type AccessCheckInput } from '../../lib/use-cases/group-access.js';
import { childIdsOf, getMember, getMembersMany } from '../../lib/store/members.js';
import type { Db } from '../../lib/store/client.js';
import type { Caller } from '../../lib/domain/caller.js';
import { ConflictError } from '../../lib/domain/errors.js';

const now = '2026-03-01T12:00:00.000Z';
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
/** More than one transaction's worth (100 actions) of members below the branch head. */
const BRANCH_SIZE = 110;

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('crs-reorg');
});

/**
 * A db whose n-th write of an ancestor list (or of another attribute: `reorg` for the locks) and every later one
 * fails, as a crashed or timed-out writer would; with `once`, only the n-th (a write that lost, the writer goes on).
 */
function failingAfter(base: Db, allowed: number, attribute = 'ancestors', once = false): Db & { failures: number } {
  let writes = 0;
  const faulty = {
    ...base,
    failures: 0,
    doc: base.doc.with(async (request, next) => {
      const input = request.input as { ExpressionAttributeNames?: Record<string, string>; TransactItems?: { Update?: { ExpressionAttributeNames?: Record<string, string> } }[] };
      const updates = [input, ...(input.TransactItems ?? []).map((t) => t.Update)];
      const writesAttribute = updates.some((u) => Object.values(u?.ExpressionAttributeNames ?? {}).includes(attribute));
      if (writesAttribute && ++writes > allowed && (!once || writes === allowed + 1)) {
        faulty.failures++;
        throw Object.assign(new Error('injected: the writer stopped here'), { name: 'InjectedFault' });
      }
      return next(request);
    }),
  };
  return faulty as Db & { failures: number };
}

/**
 * root (base+1) → regions A (base+2), B (base+3) → branch (base+10) under A → BRANCH_SIZE advisors; a contact per
 * tenth advisor, each in a group of its own with an account linked.
 */
async function buildBank(base: number) {
  const ids = { root: base + 1, a: base + 2, b: base + 3, branch: base + 10 };
  const advisors = Array.from({ length: BRANCH_SIZE }, (_, i) => base + 100 + i);
  const managers = [
    ev.memberUpserted({ memberId: ids.root, version: 1 }),
    ev.memberUpserted({ memberId: ids.a, parentMemberId: ids.root, version: 1 }),
    ev.memberUpserted({ memberId: ids.b, parentMemberId: ids.root, version: 1 }),
    ev.memberUpserted({ memberId: ids.branch, parentMemberId: ids.a, version: 1 }),
  ];
  for (const e of managers) expect((await ingestEvent(db, e, 'x', now)).status).toBe('applied');
  // The advisors arrive twenty at a time (as parallel consumers of the queue would deliver them).
  for (let i = 0; i < advisors.length; i += 20) {
    const results = await Promise.all(advisors.slice(i, i + 20).map((memberId) => ingestEvent(db, ev.memberUpserted({ memberId, parentMemberId: ids.branch, version: 1 }), 'x', now)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 'applied'));
  }
  const groups: number[] = [];
  const guard = new AccessGuard(db, { dataSegregation: false }, admin);
  for (const [i, advisor] of advisors.filter((_, i) => i % 10 === 0).entries()) {
    const contact = await ingestEvent(db, ev.contactUpserted({ contactUid: uidOf(base + i), version: 1 }), 'x', now);
    await changeAssignments(db, contact.contactId!, () => [advisor], now);
    groups.push(await createGroup(db, guard, { contactId: contact.contactId!, group: { groupName: `H${base + i}` }, now }));
  }
  return { ids, advisors, groups };
}

/** Every manager's (and two advisors') check on every group, by direct batch (admin semantics). */
async function answers(bank: Awaited<ReturnType<typeof buildBank>>) {
  const subjects = [bank.ids.root, bank.ids.a, bank.ids.b, bank.ids.branch, bank.advisors[0]!, bank.advisors[1]!];
  const checks: AccessCheckInput[] = subjects.flatMap((m) => bank.groups.map((g) => ({ identityId: identityOf(m), contactGroupId: g })));
  const { results } = await checkAccessBatch(db, { dataSegregation: false }, INTERNAL_INVOKER, checks);
  return new Map(checks.map((c, i) => [`${c.identityId}/${c.contactGroupId}`, results[i]!.hasAccess]));
}

/**
 * The members' items once writes still in flight when the writer failed have landed (the failed writer's other
 * workers had requests on the wire): read until two reads agree.
 */
async function settle(memberIds: readonly number[]) {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const read = await getMembersMany(db, memberIds);
    const members = memberIds.map((id) => read.get(id));
    const now = JSON.stringify(members);
    if (now === last) return members;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the table did not settle');
}

/**
 * A snapshot's items without what every write changes (revision, logical time, correlation id) and the `also` fields:
 * what is left is what a change that was given up must not have touched.
 */
const withoutBookkeeping = (snap: string, ...also: string[]) =>
  JSON.parse(snap).map((item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !['rev', 'hlc', 'correlationId', ...also].includes(k))));

async function locksBelow(memberIds: readonly number[]) {
  const members = await Promise.all(memberIds.map((id) => getMember(db, id)));
  return members.filter((m) => m?.reorg !== undefined).length;
}

describe('a branch of 110 advisors moves to another region', { timeout: 120_000 }, () => {
  it('completes in many writes: every list rewritten, the child row moved, no lock left, access follows', async () => {
    const bank = await buildBank(10_000);
    const before = await answers(bank);
    expect(before.get(`${identityOf(bank.ids.a)}/${bank.groups[0]}`)).toBe(true);
    expect(before.get(`${identityOf(bank.ids.b)}/${bank.groups[0]}`)).toBe(false);

    const move = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.b, version: 2 });
    expect((await ingestEvent(db, move, 'x', now)).status).toBe('applied');

    expect((await getMember(db, bank.ids.branch))?.ancestors).toEqual([bank.ids.b, bank.ids.root]);
    for (const advisor of bank.advisors) expect((await getMember(db, advisor))?.ancestors).toEqual([bank.ids.branch, bank.ids.b, bank.ids.root]);
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    expect(await childIdsOf(db, bank.ids.a)).toEqual([]);
    expect(await childIdsOf(db, bank.ids.b)).toEqual([bank.ids.branch]);
    const after = await answers(bank);
    for (const g of bank.groups) {
      expect(after.get(`${identityOf(bank.ids.a)}/${g}`)).toBe(false);
      expect(after.get(`${identityOf(bank.ids.b)}/${g}`)).toBe(true);
      expect(after.get(`${identityOf(bank.ids.root)}/${g}`)).toBe(true);
      expect(after.get(`${identityOf(bank.ids.branch)}/${g}`)).toBe(true);
    }
  });

  it('fails closed while half-done, blocks writers below it, and the redelivered event finishes it once', async () => {
    const bank = await buildBank(20_000);
    const oldTree = await answers(bank);
    const move = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.b, version: 2 });

    // The writer stops after 60 of the 111 lists: the move committed, the subtree is half rewritten.
    const faulty = failingAfter(db, 60);
    await expect(ingestEvent(faulty, move, 'x', now)).rejects.toThrow(/injected/);
    expect(faulty.failures).toBeGreaterThan(0);
    const lists = await settle(bank.advisors);
    const moved = lists.filter((m) => m?.ancestors?.[1] === bank.ids.b).length;
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(BRANCH_SIZE);
    // Every advisor is either rewritten (and unlocked) or still locked with its old list.
    expect(lists.filter((m) => m?.reorg !== undefined)).toHaveLength(BRANCH_SIZE - moved);
    expect(lists.filter((m) => m?.reorg !== undefined).every((m) => m?.ancestors?.[1] === bank.ids.a)).toBe(true);

    // In flight: every answer is one the old or the new tree gives (here: A loses, B gains, the others keep).
    const newTree = new Map([...oldTree].map(([key, value]) => [key, key.startsWith(identityOf(bank.ids.a)) ? false : key.startsWith(identityOf(bank.ids.b)) ? true : value]));
    const inFlight = await answers(bank);
    for (const [key, granted] of inFlight) if (granted) expect(oldTree.get(key) || newTree.get(key), key).toBe(true);

    // A member arriving below a locked advisor waits (a retriable conflict, nothing written).
    const locked = lists.find((m) => m?.reorg !== undefined)!;
    const late = ev.memberUpserted({ memberId: 29_999, parentMemberId: locked.memberId, version: 1 });
    await expect(ingestEvent(db, late, 'x', now)).rejects.toBeInstanceOf(ConflictError);
    expect(await getMember(db, 29_999)).toBeUndefined();

    // Redelivery: the event is not newer than what is stored, so it is not applied again, but it finishes the move.
    const redelivered = await ingestEvent(db, move, 'x', now);
    expect(redelivered.status).toBe('ignored');
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    for (const advisor of bank.advisors) expect((await getMember(db, advisor))?.ancestors).toEqual([bank.ids.branch, bank.ids.b, bank.ids.root]);
    expect(await answers(bank)).toEqual(newTree);
    // Once more: nothing changes.
    const settled = await snapshot(db);
    expect((await ingestEvent(db, move, 'x', now)).status).toBe('ignored');
    expect(await snapshot(db)).toBe(settled);
    // And the member that waited now arrives.
    expect((await ingestEvent(db, late, 'x', now)).status).toBe('applied');
    expect((await getMember(db, 29_999))?.ancestors).toEqual([locked.memberId, bank.ids.branch, bank.ids.b, bank.ids.root]);
  });

  it('an abandoned move is finished by the next writer that meets its lock', async () => {
    const bank = await buildBank(30_000);
    const longAgo = '2026-03-01T11:00:00.000Z';
    const move = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.b, version: 2 });
    await expect(ingestEvent(failingAfter(db, 10), move, 'x', longAgo)).rejects.toThrow(/injected/);
    expect((await settle(bank.advisors)).filter((m) => m?.reorg !== undefined).length).toBeGreaterThan(BRANCH_SIZE - 20);

    // An hour later a member arrives below a locked advisor: it finishes the move, then attaches.
    const late = ev.memberUpserted({ memberId: 39_999, parentMemberId: bank.advisors[BRANCH_SIZE - 1]!, version: 1 });
    expect((await ingestEvent(db, late, 'x', now)).status).toBe('applied');
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    expect((await getMember(db, 39_999))?.ancestors).toEqual([bank.advisors[BRANCH_SIZE - 1], bank.ids.branch, bank.ids.b, bank.ids.root]);
  });

  it('a move that fails part-way through locking its branch releases every lock it took', async () => {
    const bank = await buildBank(60_000);
    const before = await snapshot(db);
    // The 41st lock fails (and the writer goes on): the head and 39 or more advisors were locked, no list changed.
    const move = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.b, version: 2 });
    const faulty = failingAfter(db, 40, 'reorg', true);
    await expect(ingestEvent(faulty, move, 'x', now)).rejects.toThrow(/injected/);
    expect(faulty.failures).toBeGreaterThan(0);
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    // A later change of the branch that keeps its place (no reorganisation) leaves nothing locked either.
    expect((await ingestEvent(db, ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.a, version: 3 }), 'x', now)).status).toBe('applied');
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    expect(withoutBookkeeping(await snapshot(db), 'version', 'updatedAt')).toEqual(withoutBookkeeping(before, 'version', 'updatedAt'));
  });

  it('a newer change of a branch whose move is in flight waits for it (two changes of one subtree never run side by side)', async () => {
    const bank = await buildBank(70_000);
    const move = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.b, version: 2 });
    await expect(ingestEvent(failingAfter(db, 60), move, 'x', now)).rejects.toThrow(/injected/);
    await settle(bank.advisors);
    expect((await getMember(db, bank.ids.branch))?.reorg).toMatchObject({ rootId: bank.ids.branch, version: 2 });

    // The move back (version 3) meets the lock of version 2, fresh: a retriable conflict, nothing written.
    const back = ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: bank.ids.a, version: 3 });
    const inFlight = await snapshot(db);
    await expect(ingestEvent(db, back, 'x', now)).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(db)).toBe(inFlight);
    // The deletion of the head waits the same way.
    await expect(ingestEvent(db, ev.memberDeleted(bank.ids.branch, 4), 'x', now)).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(db)).toBe(inFlight);

    // Version 2 redelivered finishes its move; then version 3 moves the branch back, whole.
    expect((await ingestEvent(db, move, 'x', now)).status).toBe('ignored');
    expect((await ingestEvent(db, back, 'x', now)).status).toBe('applied');
    expect((await getMember(db, bank.ids.branch))?.ancestors).toEqual([bank.ids.a, bank.ids.root]);
    for (const advisor of bank.advisors) expect((await getMember(db, advisor))?.ancestors).toEqual([bank.ids.branch, bank.ids.a, bank.ids.root]);
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
  });

  it('a deletion of the branch head moves 110 advisors up, in many writes, and unlocks', async () => {
    const bank = await buildBank(40_000);
    await expect(ingestEvent(failingAfter(db, 30), ev.memberDeleted(bank.ids.branch, 2), 'x', now)).rejects.toThrow(/injected/);
    await settle(bank.advisors);
    // Half-done: the head is gone (no identity, so no access through it), its advisors partly moved.
    const inFlight = await answers(bank);
    expect(inFlight.get(`${identityOf(bank.ids.branch)}/${bank.groups[0]}`)).toBe(false);
    expect(inFlight.get(`${identityOf(bank.ids.a)}/${bank.groups[0]}`)).toBe(true);

    expect((await ingestEvent(db, ev.memberDeleted(bank.ids.branch, 2), 'x', now)).status).toBe('applied');
    expect(await childIdsOf(db, bank.ids.branch)).toEqual([]);
    expect((await childIdsOf(db, bank.ids.a)).sort((x, y) => x - y)).toEqual(bank.advisors);
    for (const advisor of bank.advisors) {
      const member = await getMember(db, advisor);
      expect(member?.ancestors).toEqual([bank.ids.a, bank.ids.root]);
      expect(member?.parentMemberId).toBe(bank.ids.a);
      expect(member?.reorg).toBeUndefined();
    }
    expect((await getMember(db, bank.ids.branch))?.reorg).toBeUndefined();
    const after = await answers(bank);
    for (const g of bank.groups) expect(after.get(`${identityOf(bank.ids.a)}/${g}`)).toBe(true);
  });

  it('a branch that would make an 11th level is rejected whole: nothing moves, nothing stays locked', async () => {
    const bank = await buildBank(50_000);
    // A chain of 8 below B: B's deepest member sits at depth 10 (root, B, 8 more).
    let parent = bank.ids.b;
    for (let i = 0; i < 8; i++) {
      const id = 50_900 + i;
      expect((await ingestEvent(db, ev.memberUpserted({ memberId: id, parentMemberId: parent, version: 1 }), 'x', now)).status).toBe('applied');
      parent = id;
    }
    const before = await snapshot(db);
    // Under the 7th of them, the branch (2 levels) would end at level 12.
    const result = await ingestEvent(db, ev.memberUpserted({ memberId: bank.ids.branch, parentMemberId: 50_906, version: 2 }), 'x', now);
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/depth/);
    expect(await locksBelow([bank.ids.branch, ...bank.advisors])).toBe(0);
    expect(withoutBookkeeping(await snapshot(db))).toEqual(withoutBookkeeping(before));
  });
});
