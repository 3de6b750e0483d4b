// Id counters (`COUNTER#contact|group|membership`): above every id allocated from them, else they would hand out ids
// already in use. The repair only ever raises a counter (conditioned on it being lower), so it is safe at any time.
import { keys } from '../../store/keys.js';
import { writeOne } from '../../store/transactions.js';
import type { CounterName } from '../../store/counters.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import type { TableSnapshot } from '../snapshot.js';

/** The largest id of each counter in use, and an item that holds it. */
function idsInUse(snapshot: TableSnapshot): Record<CounterName, { max: number; where: string }> {
  const out: Record<CounterName, { max: number; where: string }> = { contact: { max: 0, where: '' }, group: { max: 0, where: '' }, membership: { max: 0, where: '' } };
  const see = (counter: CounterName, id: unknown, where: string) => {
    if (typeof id === 'number' && Number.isInteger(id) && id > out[counter].max) out[counter] = { max: id, where };
  };
  for (const p of snapshot.profiles.values()) see('contact', p.contactId, `${p.pk}|${p.sk}`);
  for (const l of snapshot.links.values()) see('contact', l.contactId, `${l.pk}|${l.sk}`);
  for (const a of snapshot.contactUids.values()) see('contact', a.contactId, `${a.pk}|${a.sk}`);
  for (const r of snapshot.relatives.values()) {
    see('contact', r.contactId, `${r.pk}|${r.sk}`);
    see('contact', r.relativeContactId, `${r.pk}|${r.sk}`);
  }
  for (const row of snapshot.assignmentRows.values()) see('contact', row.contactId, `${row.pk}|${row.sk}`);
  for (const g of snapshot.groups.values()) {
    see('group', g.groupId, `${g.pk}|${g.sk}`);
    for (const m of g.contacts ?? []) {
      see('contact', m.contactId, `${g.pk}|${g.sk}`);
      see('membership', m.membershipId, `${g.pk}|${g.sk}`);
    }
  }
  for (const a of snapshot.groupExternalIds.values()) see('group', a.groupId, `${a.pk}|${a.sk}`);
  for (const e of snapshot.entities.values()) see('group', e.groupId, `${e.pk}|${e.sk}`);
  for (const l of snapshot.links.values()) for (const g of Object.keys(l.groups ?? {})) see('group', Number(g), `${l.pk}|${l.sk}`);
  return out;
}

export const counters: IntegrityCheck = {
  name: 'counters',
  derives: 'id counters, from the largest id in use of each',
  run(snapshot) {
    const findings: Finding[] = [];
    for (const [name, { max, where }] of Object.entries(idsInUse(snapshot)) as [CounterName, { max: number; where: string }][]) {
      const value = snapshot.counters.get(name) ?? 0;
      if (value >= max) continue;
      const subject = keys.counter(name);
      const [pk, sk] = where.split('|') as [string, string];
      findings.push({
        check: 'counters',
        kind: 'counter-behind',
        severity: 'disagreement',
        subject,
        sources: [{ pk, sk }],
        message: `the ${name} counter is at ${value}, but ${name} id ${max} is in use (${where}): it would hand out ids already taken`,
        repair: {
          action: `raise the ${name} counter to ${max}`,
          run: (db) =>
            writeOne(db, {
              Update: {
                Key: subject,
                UpdateExpression: 'SET #v = :max',
                ConditionExpression: 'attribute_not_exists(#v) OR #v < :max',
                ExpressionAttributeNames: { '#v': 'value' },
                ExpressionAttributeValues: { ':max': max },
              },
            }),
        },
      });
    }
    return findings;
  },
};
