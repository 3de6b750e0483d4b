// Loads the demo data set into an empty table: events through the ingest handler, then assignments via the library.
import type { Db } from '../../lib/store/client.js';
import { getItem } from '../../lib/store/ops.js';
import { keys } from '../../lib/store/keys.js';
import { getUidAlias } from '../../lib/store/contacts.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { DEMO_CONTACTS, demoEvents } from './demo-data.js';
import type { InvokeHandler } from './gateway.js';

/** The table is empty when no contact id was ever allocated. */
export async function isEmpty(db: Db): Promise<boolean> {
  return (await getItem(db, keys.counter('contact'))) === undefined;
}

export async function loadDemo(db: Db, ingest: InvokeHandler): Promise<{ events: number; rejected: number }> {
  const events = demoEvents();
  const { results } = (await ingest(events)) as { results: { status: string }[] };
  for (const contact of DEMO_CONTACTS) {
    const alias = await getUidAlias(db, contact.contactUid);
    if (alias?.contactId === undefined) continue;
    await changeAssignments(db, alias.contactId, () => contact.advisors, '2026-01-01T00:00:00.000Z');
  }
  return { events: events.length, rejected: results.filter((r) => r.status === 'rejected').length };
}
