// Group writes against DynamoDB Local: assignee counts stay exact across group and assignment changes, and large
// groups commit all-or-nothing.
import { givenContact } from '../support/fixtures.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { createGroup, deleteGroup, modifyGroup } from '../../lib/use-cases/groups.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { getGroup } from '../../lib/store/groups.js';
import { getLinks } from '../../lib/store/contacts.js';
import type { Caller } from '../../lib/domain/caller.js';

let db: TestDb;
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
const guard = () => new AccessGuard(db, { dataSegregation: false }, admin);
const now = '2026-01-01T00:00:00.000Z';

const contact = async (n: number) => (await givenContact(db, n)).id;

beforeAll(async () => {
  db = await createTestDb();
  for (const m of [1, 2, 3]) await ingestEvent(db, ev.memberUpserted({ memberId: m, version: 1 }), 'x');
});

describe('group writes', () => {
  it('counts the assignees of active contacts, through group and assignment changes', async () => {
    const [a, b, c] = [await contact(1), await contact(2), await contact(3)];
    await changeAssignments(db, a, () => [1, 2], now);
    await changeAssignments(db, b, () => [2], now);
    const groupId = await createGroup(db, guard(), {
      contactId: a,
      group: { groupName: 'Household', contacts: [{ contactId: b }, { contactId: c, systemStatus: 'Inactive' }] },
      now,
    });
    let group = await getGroup(db, groupId);
    expect(group?.contacts.map((m) => [m.contactId, m.order])).toEqual([[a, 1], [b, 2], [c, 3]]);
    expect(group?.assignees).toEqual({ '1': 1, '2': 2 });
    expect((await getLinks(db, c))?.groups).toEqual({ [String(groupId)]: 1 });

    await changeAssignments(db, c, () => [3], now); // inactive: does not count
    await changeAssignments(db, b, () => [], now);
    group = await getGroup(db, groupId);
    expect(group?.assignees).toEqual({ '1': 1, '2': 1 });

    await modifyGroup(db, guard(), { groupId, group: { contacts: [{ contactId: a }, { contactId: c }] }, now });
    group = await getGroup(db, groupId);
    expect(group?.assignees).toEqual({ '1': 1, '2': 1, '3': 1 });
    expect(group?.version).toBe(2);
    expect((await getLinks(db, b))?.groups).toEqual({});

    await deleteGroup(db, guard(), { groupId });
    expect(await getGroup(db, groupId)).toBeUndefined();
  });

  it('creates a group of 100 contacts (more than one transaction) all-or-nothing', async () => {
    const ids: number[] = [];
    for (let n = 100; n < 200; n++) ids.push(await contact(n));
    await changeAssignments(db, ids[5]!, () => [1], now);
    const groupId = await createGroup(db, guard(), {
      contactId: ids[0]!,
      group: { groupName: 'Big', groupExternalId: 'BIG-1', contacts: ids.map((contactId) => ({ contactId })) },
      now,
    });
    const group = await getGroup(db, groupId);
    expect(group?.pending).toBeUndefined();
    expect(group?.contacts).toHaveLength(100);
    expect(group?.assignees).toEqual({ '1': 1 });
  });
});
