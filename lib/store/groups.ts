// Group items: reads and the conditional write of a group's new state.
import type { Db } from './client.js';
import { keys } from './keys.js';
import { andConditions, batchGet, cond, deleteAction, getItem, keyString, putAction, type WriteAction } from './ops.js';
import type { GroupItem } from './items.js';

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
