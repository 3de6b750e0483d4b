// Loads the demo data set into an empty table: events through the ingest handler, then assignments, households and
// relatives via the library (as the API would make them). Loading it again changes nothing.
import type { Db } from '../../lib/store/client.js';
import { getItem } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';
import { getUidAlias } from '../../lib/store/contacts.js';
import type { GroupExternalIdItem } from '../../lib/store/items.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { linkRelative } from '../../lib/use-cases/relatives.js';
import { DEMO_CONTACTS, DEMO_GROUPS, DEMO_RELATIVES, demoEntityEvents, demoEvents } from './demo-data.js';
import type { InvokeHandler } from './gateway.js';

const DEMO_TIME = '2026-01-01T00:00:00.000Z';

/** The table is empty when no contact id was ever allocated. */
export async function isEmpty(db: Db): Promise<boolean> {
  return (await getItem(db, keys.counter('contact'))) === undefined;
}

export async function loadDemo(db: Db, ingest: InvokeHandler): Promise<{ events: number; rejected: number }> {
  const events = demoEvents();
  const { results } = (await ingest(events)) as { results: { status: string }[] };
  const contactIds = new Map<number, number>();
  for (const contact of DEMO_CONTACTS) {
    const alias = await getUidAlias(db, contact.contactUid);
    if (alias?.contactId === undefined) continue;
    contactIds.set(contact.n, alias.contactId);
    await changeAssignments(db, alias.contactId, () => contact.advisors, DEMO_TIME);
  }

  const admin = new AccessGuard(db, { dataSegregation: false }, { type: 'application', subject: 'demo-loader', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) });
  const groupIds = new Map<string, number>();
  for (const group of DEMO_GROUPS) {
    const existing = await getItem<GroupExternalIdItem>(db, keys.groupExternalId(group.groupExternalId));
    const [first, ...others] = group.contacts.map((c) => ({ contactId: contactIds.get(c.n)!, relationshipType: c.relationshipType }));
    groupIds.set(
      group.groupExternalId,
      existing?.groupId ??
        (await createGroup(db, admin, {
          contactId: first!.contactId,
          group: { groupName: group.groupName, groupExternalId: group.groupExternalId, contacts: [first!, ...others] },
          now: DEMO_TIME,
        })),
    );
  }
  for (const r of DEMO_RELATIVES) {
    const [contactId, relativeContactId] = [contactIds.get(r.n), contactIds.get(r.relativeN)];
    if (contactId && relativeContactId) await linkRelative(db, admin, { contactId, relativeContactId, relationshipType: r.relationshipType, now: DEMO_TIME });
  }
  const entityEvents = demoEntityEvents((externalId) => groupIds.get(externalId)!);
  const linked = (await ingest(entityEvents)) as { results: { status: string }[] };
  const all = [...results, ...linked.results];
  return { events: events.length + entityEvents.length, rejected: all.filter((r) => r.status === 'rejected').length };
}
