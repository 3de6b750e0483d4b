// The reach index of the lookups (SPEC 5.6): its rows, their conditional writes and a page of a subject's rows.
import type { Db } from './client.js';
import { keys, type ReachObject, type ReachSubject } from './keys.js';
import { keyString, queryAll } from './reads.js';
import { batchWrite, writeOne, type IndexRow } from './transactions.js';
import type { ContactLinksItem, EntityItem, GroupItem, ReachItem } from './items.js';
import { activeContactIdsOf } from './groups.js';
import { countedAssignees } from '../domain/groups.js';

export type { ReachObject, ReachSubject } from './keys.js';

const partitionOf = (subject: ReachSubject) => keys.reach(subject, { kind: 'contact', contactId: 0 }).pk;

/**
 * One page of a subject's rows of one kind, in id order, strongly consistent, after `startKey` (a page cursor's last
 * key); `lastKey` when more may follow.
 */
export async function reachPage(
  db: Db,
  subject: ReachSubject,
  kind: ReachObject['kind'],
  entityType: string | undefined,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ rows: ReachItem[]; lastKey?: Record<string, unknown> | undefined }> {
  const page = await db.doc.query({
    TableName: db.tableName,
    ConsistentRead: true,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': partitionOf(subject), ':sk': keys.reachPrefix(kind, entityType) },
    Limit: limit,
    ...(startKey && { ExclusiveStartKey: startKey }),
  });
  return { rows: (page.Items ?? []) as ReachItem[], lastKey: page.LastEvaluatedKey };
}

/** Names a row (the row a subject has of an object, or a row as read): rows with the same name are the same row. */
export const reachRowName = (row: { subject: ReachSubject; object: ReachObject } | Pick<ReachItem, 'pk' | 'sk'>) =>
  keyString('pk' in row ? row : keys.reach(row.subject, row.object));

/** Every row of a subject. */
export const reachRowsOf = (db: Db, subject: ReachSubject) =>
  queryAll<ReachItem>(db, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitionOf(subject) } });

/** A row decided on a newer (or the same) version of the object's truth wins: older ones fail with StoreConflict. */
const notNewer = (basis: number | undefined) =>
  basis === undefined ? {} : { ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis', ExpressionAttributeValues: { ':basis': basis } };

export const putReachRow = (db: Db, subject: ReachSubject, object: ReachObject, attributes: Partial<ReachItem>, basis: number | undefined) =>
  writeOne(db, { Put: { Item: { ...keys.reach(subject, object), type: 'Reach', ...attributes, basis: basis ?? 0 } satisfies ReachItem, ...notNewer(basis) } });

export const deleteReachRow = (db: Db, subject: ReachSubject, object: ReachObject, basis: number | undefined) =>
  writeOne(db, { Delete: { Key: keys.reach(subject, object), ...notNewer(basis) } });

export const deleteReachRows = (db: Db, rows: readonly ReachItem[]) => batchWrite(db, rows.map((r): IndexRow => ({ delete: { pk: r.pk, sk: r.sk } })));

/** The rows under another subject (a member re-identified upstream), then gone from the old one. */
export async function moveReachRows(db: Db, rows: readonly ReachItem[], to: ReachSubject): Promise<void> {
  const pk = partitionOf(to);
  await batchWrite(db, rows.map((r): IndexRow => ({ put: { ...r, pk } })));
  await deleteReachRows(db, rows);
}

/** How the members of a table are placed: a member's ancestors (undefined: unknown member), a live member's identity. */
export interface MemberPlaces {
  ancestorsOf(memberId: number): readonly number[] | undefined;
  identityOf(memberId: number): string | undefined;
}

/**
 * Every reach row a table's items imply (the rules reach-projection.ts applies change by change): a contact is
 * reached by its assigned members and their ancestors; a group by its counted assignees' and their ancestors, who
 * also reach the entities linked to it, as do its Active contacts. `basis` 0: the rows' keys and attributes only.
 */
export function impliedReachRows(items: Iterable<Record<string, unknown>>, members: MemberPlaces): ReachItem[] {
  const reachersOf = (assigned: Iterable<number>) => {
    const out = new Set<string>();
    for (const m of assigned) {
      const ancestors = members.ancestorsOf(m);
      if (!ancestors) continue;
      for (const x of [m, ...ancestors]) {
        const identity = members.identityOf(x);
        if (identity) out.add(identity);
      }
    }
    return out;
  };
  const all = [...items];
  const profiles = new Map<number, string>();
  const entitiesOf = new Map<number, EntityItem[]>();
  for (const item of all) {
    if (item.sk === 'PROFILE') profiles.set(Number(item.contactId), String(item.contactUid));
    if (item.sk === 'ENTITY' && item.groupId != null) entitiesOf.set(Number(item.groupId), [...(entitiesOf.get(Number(item.groupId)) ?? []), item as unknown as EntityItem]);
  }
  const rows: ReachItem[] = [];
  const row = (subject: ReachSubject, object: ReachObject, attributes: Partial<ReachItem>): ReachItem => ({ ...keys.reach(subject, object), type: 'Reach', ...attributes, basis: 0 });
  for (const item of all) {
    if (item.sk === 'LINKS' && String(item.pk).startsWith('CONTACT#')) {
      const links = item as unknown as ContactLinksItem;
      const contactUid = profiles.get(links.contactId);
      for (const identityId of reachersOf(Object.keys(links.assignees ?? {}).map(Number))) {
        rows.push(row({ identityId }, { kind: 'contact', contactId: links.contactId }, { contactId: links.contactId, ...(contactUid && { contactUid }) }));
      }
    }
    if (item.sk === 'GROUP' && String(item.pk).startsWith('GROUP#') && item.pending !== true) {
      const group = item as unknown as GroupItem;
      const entities = entitiesOf.get(group.groupId) ?? [];
      const entityRow = (e: EntityItem) => ({ object: { kind: 'entity', entityType: e.entityType, entityId: e.entityId } as const, attributes: { entityType: e.entityType, entityId: e.entityId, groupId: group.groupId } });
      for (const identityId of reachersOf(countedAssignees(group.assignees ?? {}))) {
        rows.push(row({ identityId }, { kind: 'group', groupId: group.groupId }, { groupId: group.groupId }));
        for (const e of entities.map(entityRow)) rows.push(row({ identityId }, e.object, e.attributes));
      }
      for (const contactId of activeContactIdsOf({ contacts: group.contacts ?? [] })) {
        for (const e of entities.map(entityRow)) rows.push(row({ contactId }, e.object, e.attributes));
      }
    }
  }
  return rows;
}

/** The object a row names, read from its sort key (`C#<id>`, `G#<id>`, `E#<type>#<id>`). */
export function objectOfRow(row: Pick<ReachItem, 'sk'>): ReachObject {
  const [kind, a, b] = row.sk.split('#');
  if (kind === 'C') return { kind: 'contact', contactId: Number(a) };
  if (kind === 'G') return { kind: 'group', groupId: Number(a) };
  return { kind: 'entity', entityType: String(a), entityId: Number(b) };
}

/** Deletes a row as it was read: a projection that rewrote it since (on a newer basis) wins, and this fails with StoreConflict. */
export const deleteReachRowAsRead = (db: Db, row: ReachItem) =>
  writeOne(db, { Delete: { Key: { pk: row.pk, sk: row.sk }, ConditionExpression: 'attribute_not_exists(pk) OR basis <= :basis', ExpressionAttributeValues: { ':basis': row.basis ?? 0 } } });
