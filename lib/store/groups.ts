// Group items: reads and the conditional write of a group's new state.
import type { Db } from './client.js';
import { groupNamePrefixQuery, keys } from './keys.js';
import { andConditions, batchGet, cond, deleteAction, getItem, keyString, putAction, queryAll, type WriteAction } from './ops.js';
import { GSI } from './table.js';
import type { GroupExternalIdItem, GroupItem } from './items.js';

export const getGroup = (db: Db, groupId: number) => getItem<GroupItem>(db, keys.group(groupId));

export async function getGroupsMany(db: Db, groupIds: readonly number[]): Promise<Map<number, GroupItem>> {
  const items = await batchGet(db, groupIds.map(keys.group));
  const out = new Map<number, GroupItem>();
  for (const id of groupIds) {
    const item = items.get(keyString(keys.group(id)));
    if (item) out.set(id, item as unknown as GroupItem);
  }
  return out;
}

/** Group ids by external id (one BatchGet of the unique aliases). */
export async function groupIdsByExternalIds(db: Db, externalIds: readonly string[]): Promise<number[]> {
  const items = await batchGet(db, externalIds.map(keys.groupExternalId));
  return [...items.values()].map((item) => (item as unknown as GroupExternalIdItem).groupId);
}

/**
 * Group ids whose folded name starts with the folded prefix (GSI, eventually consistent: callers re-read the group
 * items and re-check the name). Reads only the matching index range, never the other groups.
 */
export async function groupIdsByNamePrefix(db: Db, prefix: string): Promise<number[]> {
  const q = groupNamePrefixQuery(prefix);
  const rows = await queryAll<Pick<GroupItem, 'groupId'>>(db, {
    IndexName: GSI.byGroupName.indexName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': GSI.byGroupName.partitionKey, '#sk': GSI.byGroupName.sortKey, '#id': 'groupId' },
    ExpressionAttributeValues: { ':pk': q.gsi1pk, ':prefix': q.prefix },
    ProjectionExpression: '#id',
  });
  return rows.map((r) => r.groupId);
}

/**
 * The group exactly as read: its version, its assignee counts (accessVersion, bumped by assignment writers) and its
 * entity link count (bumped by EntityLinked/Unlinked) must all still hold when the write commits.
 */
export const groupUnchanged = (group: Pick<GroupItem, 'version' | 'accessVersion' | 'entityCount'>) =>
  andConditions(
    andConditions(cond.versionIs(group.version), cond.versionIs(group.accessVersion, 'accessVersion')),
    cond.versionIs(group.entityCount ?? 0, 'entityCount'),
  );

/** Readers never see a group whose creation has not committed. */
export const isVisible = (group: GroupItem | undefined): group is GroupItem => group !== undefined && group.pending !== true;

/** Writes the next state of a group read earlier (versions bumped; name index kept in step). */
export function putGroupAction(
  previous: Pick<GroupItem, 'version' | 'accessVersion' | 'entityCount'> | undefined,
  next: GroupItem,
  options: { accessChanged: boolean },
): WriteAction {
  const item: GroupItem = {
    ...next,
    version: (previous?.version ?? 0) + 1,
    accessVersion: (previous?.accessVersion ?? 0) + (options.accessChanged || !previous ? 1 : 0),
  };
  const nameKeys = item.groupName ? keys.groupNameIndex(item.groupName, item.groupId) : undefined;
  delete item.gsi1pk;
  delete item.gsi1sk;
  return putAction({ ...item, ...nameKeys }, previous ? groupUnchanged(previous) : cond.absent());
}

export const deleteGroupAction = (group: GroupItem): WriteAction => deleteAction(keys.group(group.groupId), groupUnchanged(group));
