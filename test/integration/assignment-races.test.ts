// An assignment racing the deletion of the member it assigns (the race the soak's verify-table looks for): the member
// never ends up assigned after its deletion removed its assignments — the commit is conditioned on it not being a
// tombstone, or, when those checks do not fit in the transaction, it is unassigned again right after the commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { startProjection, type Projection } from '../support/projection.js';
import { ev, uidOf } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { getLinks } from '../../lib/store/contacts.js';
import { getMembersMany } from '../../lib/store/members.js';
import { verifyTable } from '../../lib/integrity/verify.js';
import type { Caller } from '../../lib/domain/caller.js';

const now = '2026-03-01T12:00:00.000Z';
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
let db: TestDb;
let projection: Projection;
beforeAll(async () => {
  db = await createTestDb('crs-assignment-races');
  projection = await startProjection(db);
});
afterAll(() => projection?.stop());

/** verify-table's findings once the lookups' index has caught up with every change. */
const findings = async () => {
  await projection.caughtUp();
  return (await verifyTable(db)).findings;
};

/** Assigns `memberIds` to the contact, deleting `victim` after the assignment decided (and read the members). */
async function assignWhileDeleting(contactId: number, memberIds: number[], victim: number) {
  const read = await getMembersMany(db, memberIds);
  let decisions = 0;
  await changeAssignments(
    db,
    contactId,
    async (_links, current) => {
      decisions++;
      if (decisions === 1) {
        expect((await ingestEvent(db, ev.memberDeleted(victim, 2), 'x', now)).status).toBe('applied');
        return [...current, ...memberIds];
      }
      // The retry decides on the new state, as the API does (a deleted member is refused there).
      return [...current, ...memberIds.filter((m) => m !== victim)];
    },
    now,
    read,
  );
  return decisions;
}

describe('an assignment racing the deletion of its member', () => {
  it('few members: the commit sees the tombstone, loses the race and is decided again', async () => {
    await ingestEvent(db, ev.memberUpserted({ memberId: 1, version: 1 }), 'x', now);
    const contactId = (await ingestEvent(db, ev.contactUpserted({ contactUid: uidOf(1), version: 1 }), 'x', now)).contactId!;
    expect(await assignWhileDeleting(contactId, [1], 1)).toBe(2);
    expect((await getLinks(db, contactId))!.assignees).toEqual({});
    expect(await findings()).toEqual([]);
  });

  it('98 members on a contact in two groups (checks do not fit): the deleted one is unassigned after the commit', { timeout: 60_000 }, async () => {
    const memberIds = Array.from({ length: 98 }, (_, i) => 100 + i);
    for (let i = 0; i < memberIds.length; i += 20) await Promise.all(memberIds.slice(i, i + 20).map((m) => ingestEvent(db, ev.memberUpserted({ memberId: m, version: 1 }), 'x', now)));
    const contactId = (await ingestEvent(db, ev.contactUpserted({ contactUid: uidOf(2), version: 1 }), 'x', now)).contactId!;
    const guard = new AccessGuard(db, { dataSegregation: false }, admin);
    for (const name of ['A', 'B']) await createGroup(db, guard, { contactId, group: { groupName: name }, now });
    expect(await assignWhileDeleting(contactId, memberIds, 150)).toBe(1);
    const assigned = Object.keys((await getLinks(db, contactId))!.assignees).map(Number);
    expect(assigned).toHaveLength(97);
    expect(assigned).not.toContain(150);
    expect(await findings()).toEqual([]);
  });
});
