// Entity links (upstream-owned): the entity → group item, the group's row of each linked entity, and the group's
// count of them — the write plans of a link and an unlink, each one transaction.
import type { Db } from './client.js';
import { keys } from './keys.js';
import { cond } from './expressions.js';
import { getItem, queryAll } from './reads.js';
import { deleteAction, putAction, updateAction, type Action } from './transactions.js';
import type { EntityItem, GroupEntityItem } from './items.js';
import type { EntityType } from '../domain/catalogues.js';

export const getEntity = (db: Db, entityType: string, entityId: number) => getItem<EntityItem>(db, keys.entity(entityType, entityId));

/** The entities linked to a group (one Query of its rows). */
export const entitiesOfGroup = (db: Db, groupId: number) =>
  queryAll<GroupEntityItem>(db, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': keys.group(groupId).pk, ':sk': keys.groupEntityPrefix },
  });

const entityItem = (entityType: EntityType, entityId: number, groupId: number | null, version: number): EntityItem => ({
  ...keys.entity(entityType, entityId),
  sk: 'ENTITY',
  type: 'Entity',
  entityType,
  entityId,
  groupId,
  version,
});

const groupEntityRow = (groupId: number, entityType: EntityType, entityId: number): GroupEntityItem => ({
  ...keys.groupEntity(groupId, entityType, entityId),
  type: 'GroupEntity',
  groupId,
  entityType,
  entityId,
});

const entityCountChange = (groupId: number, delta: number): Action =>
  updateAction(keys.group(groupId), { increment: [[['entityCount'], delta]], condition: cond.exists() });

/**
 * Links an entity to a group (from whatever group it was linked to): the entity item conditioned on the version read,
 * the groups' counts and rows. A tombstone (groupId null) keeps the version after an unlink.
 */
export function linkEntityPlan(entity: EntityItem | undefined, link: { entityType: EntityType; entityId: number; groupId: number | null; version: number }): Action[] {
  const { entityType, entityId, groupId, version } = link;
  const actions: Action[] = [putAction(entityItem(entityType, entityId, groupId, version), cond.versionIs(entity?.version))];
  const previous = entity?.groupId ?? null;
  if (previous === groupId) return actions;
  if (groupId !== null) actions.push(entityCountChange(groupId, +1), putAction(groupEntityRow(groupId, entityType, entityId)));
  if (previous !== null) actions.push(entityCountChange(previous, -1), deleteAction(keys.groupEntity(previous, entityType, entityId)));
  return actions;
}
