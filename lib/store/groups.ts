// Group items: reads, and the write plans of a group's new state, its alias and its assignee counts.
import type { Db } from './client.js';
import { groupNamePrefixQuery, keys } from './keys.js';
import type { Plan } from './plans.js';
import { andConditions, cond } from './expressions.js';
import { batchGet, getItem, getMany, queryAll } from './reads.js';
import { deleteAction, putAction, updateAction, type Action } from './transactions.js';
import { GSI } from './table.js';
import type { GroupExternalIdItem, GroupItem } from './items.js';
import { isActiveMembership } from '../domain/groups.js';
import type { AncestryHint } from '../domain/member-hierarchy.js';

export const getGroup = (db: Db, groupId: number) => getItem<GroupItem>(db, keys.group(groupId));
export const getExternalIdAlias = (db: Db, externalId: string) => getItem<GroupExternalIdItem>(db, keys.groupExternalId(externalId));

/** Case folding of the name index (a search's prefix is folded the same way). */
export { foldName } from './keys.js';

export const getGroupsMany = (db: Db, groupIds: readonly number[]) => getMany<number, GroupItem>(db, groupIds, keys.group);

/** Group ids by external id (one BatchGet of the unique aliases). */
export async function groupIdsByExternalIds(db: Db, externalIds: readonly string[]): Promise<number[]> {
  const items = await batchGet(db, externalIds.map(keys.groupExternalId));
  return [...items.values()].map((item) => (item as unknown as GroupExternalIdItem).groupId);
}

/** What the name index holds of a group: enough to decide who may read it without reading the group item. */
export interface GroupNameEntry {
  groupId: number;
  assignees: Record<string, number>;
  assigneeAncestors?: Record<string, AncestryHint> | undefined;
  activeContactIds: number[];
}

/**
 * The name-index entries of the groups whose folded name starts with the folded prefix, sorted by group id: one
 * Query per shard, all in parallel (one round trip). Eventually consistent: callers re-read the groups they return.
 * Each entry is a few hundred bytes whatever the size of the group item.
 */
export async function groupsByNamePrefix(db: Db, prefix: string): Promise<GroupNameEntry[]> {
  const q = groupNamePrefixQuery(prefix);
  const shards = await Promise.all(
    q.partitions.map((partition) =>
      queryAll<Pick<GroupItem, 'groupId' | 'assignees' | 'assigneeAncestors' | 'activeContactIds'>>(db, {
        IndexName: GSI.byGroupName.indexName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': GSI.byGroupName.partitionKey, '#sk': GSI.byGroupName.sortKey },
        ExpressionAttributeValues: { ':pk': partition, ':prefix': q.prefix },
      }),
    ),
  );
  return shards
    .flat()
    .map((r) => ({ groupId: r.groupId, assignees: r.assignees ?? {}, assigneeAncestors: r.assigneeAncestors, activeContactIds: r.activeContactIds ?? [] }))
    .sort((a, b) => a.groupId - b.groupId);
}

/** The Active contacts of a group (stored on the item for the name index; derived for items that predate it). */
export const activeContactIdsOf = (group: Pick<GroupItem, 'contacts'>) => group.contacts.filter(isActiveMembership).map((m) => m.contactId);

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
): Action {
  const item: GroupItem = {
    ...next,
    version: (previous?.version ?? 0) + 1,
    accessVersion: (previous?.accessVersion ?? 0) + (options.accessChanged || !previous ? 1 : 0),
  };
  const nameKeys = item.groupName ? keys.groupNameIndex(item.groupName, item.groupId) : undefined;
  delete item.gsi2pk;
  delete item.gsi2sk;
  // Release 0.1.0's name-index keys: a group rewritten by this release leaves the retired index.
  delete (item as GroupItem & { gsi1pk?: string; gsi1sk?: string }).gsi1pk;
  delete (item as GroupItem & { gsi1pk?: string; gsi1sk?: string }).gsi1sk;
  return putAction({ ...item, activeContactIds: activeContactIdsOf(item), ...nameKeys }, previous ? groupUnchanged(previous) : cond.absent());
}

export const deleteGroupAction = (group: GroupItem): Action => deleteAction(keys.group(group.groupId), groupUnchanged(group));

/** The alias that reserves a group's external id (its key is the id; it names the group). */
export const externalIdAlias = (groupExternalId: string, groupId: number): GroupExternalIdItem => ({
  ...keys.groupExternalId(groupExternalId),
  sk: 'GROUPEXT',
  type: 'GroupExternalId',
  groupExternalId,
  groupId,
});

/** The write of a group's external-id alias change: the new alias must be free, the old one must still be this group's. */
export function externalIdActions(groupId: number, before: string | undefined, after: string | undefined): Action[] {
  if (before === after) return [];
  const actions: Action[] = [];
  if (after) {
    const alias = externalIdAlias(after, groupId);
    actions.push(putAction(alias, cond.absent()));
  }
  if (before) actions.push(deleteAction(keys.groupExternalId(before), { ConditionExpression: 'groupId = :gid', ExpressionAttributeValues: { ':gid': groupId } }));
  return actions;
}

/** A new group's item (counts empty: commitGroupChange computes them from the contacts' links). */
export function newGroup(
  groupId: number,
  fields: { groupName: string; groupExternalId?: string | null | undefined; customAttributes?: string | null | undefined; contacts: GroupItem['contacts'] },
  createdAt: string,
  now: string,
): GroupItem {
  return {
    ...keys.group(groupId),
    sk: 'GROUP',
    type: 'Group',
    groupId,
    groupName: fields.groupName,
    ...(fields.groupExternalId && { groupExternalId: fields.groupExternalId }),
    ...(fields.customAttributes != null && { customAttributes: fields.customAttributes }),
    contacts: fields.contacts,
    assignees: {},
    version: 0,
    accessVersion: 0,
    entityCount: 0,
    createdAt,
    updatedAt: now,
  };
}

/** A group deleted with its external-id alias, whatever group the alias names now (a contact's deletion empties it). */
export const groupDeletionPlan = (group: GroupItem): Plan => [
  deleteGroupAction(group),
  ...(group.groupExternalId ? [deleteAction(keys.groupExternalId(group.groupExternalId))] : []),
];

/**
 * The counts of a group after the assignees of one of its contacts changed (`next`; none when the contact does not
 * count in it), its accessVersion bumped in any case and conditioned on the one read.
 */
export const groupAssigneesPlan = (
  group: Pick<GroupItem, 'groupId' | 'accessVersion'>,
  next: Pick<GroupItem, 'assignees' | 'assigneeContacts' | 'assigneeAncestors'> | undefined,
): Plan => [
  updateAction(keys.group(group.groupId), {
    set: next
      ? [
          [['assignees'], next.assignees],
          [['assigneeContacts'], next.assigneeContacts],
          [['assigneeAncestors'], next.assigneeAncestors],
        ]
      : [],
    increment: [[['accessVersion'], 1]],
    condition: cond.versionIs(group.accessVersion, 'accessVersion'),
  }),
];

/**
 * The stand-in of a group whose creation is larger than one transaction: it exists for the concurrency protocol
 * (assignment writers that find it bump its accessVersion) but not for readers, and holds nothing yet.
 */
export function pendingGroup(group: GroupItem): GroupItem {
  const pending: GroupItem = { ...group, contacts: [], assignees: {}, assigneeContacts: {}, entityCount: 0, pending: true, version: 0, accessVersion: 0 };
  delete pending.gsi2pk;
  delete pending.gsi2sk;
  return pending;
}

/** Writes a pending group (see pendingGroup), out of the name index, where none exists. */
export const pendingGroupPlan = (pending: GroupItem): Plan => [putAction({ ...pending, groupName: undefined }, cond.absent())];

