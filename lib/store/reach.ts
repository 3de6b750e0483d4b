// The reach index of the lookups (SPEC 5.6): its rows, their conditional writes and a page of a subject's rows.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.js';
import { keys, type ReachObject, type ReachSubject } from './keys.js';
import { batchWrite, queryAll, writeOne, type IndexRow } from './ops.js';
import type { ReachItem } from './items.js';

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
  const page = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': partitionOf(subject), ':sk': keys.reachPrefix(kind, entityType) },
      Limit: limit,
      ...(startKey && { ExclusiveStartKey: startKey }),
    }),
  );
  return { rows: (page.Items ?? []) as ReachItem[], lastKey: page.LastEvaluatedKey };
}

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
