// EntityLinked / EntityUnlinked: entity → group links (upstream-owned), counted on the group for its delete rule.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { keys } from '../../store/keys.js';
import { cond, deleteAction, getItem, putAction, retryOnConflict, transact, updateAction, type WriteAction } from '../../store/ops.js';
import type { EntityItem, GroupEntityItem } from '../../store/items.js';
import { getGroup } from '../../store/groups.js';
import type { entityLinked, entityUnlinked } from '../../events/inbound.js';
import { applied, rejected, stale, type Outcome } from './outcome.js';

const getEntity = (db: Db, entityType: string, entityId: number) =>
  getItem<EntityItem>(db, keys.entity(entityType, entityId));

/** The group's row of a linked entity: entities of a group in one Query (the lookups' projector reads them). */
const groupEntityRow = (groupId: number, entityType: EntityItem['entityType'], entityId: number): GroupEntityItem => ({
  ...keys.groupEntity(groupId, entityType, entityId),
  type: 'GroupEntity',
  groupId,
  entityType,
  entityId,
});

const entityCountChange = (groupId: number, delta: number): WriteAction =>
  updateAction(keys.group(groupId), { increment: [[['entityCount'], delta]], condition: cond.exists() });

export async function applyEntityLinked(db: Db, e: z.infer<typeof entityLinked>): Promise<Outcome> {
  return retryOnConflict(async () => {
    const [entity, group] = await Promise.all([getEntity(db, e.entityType, e.entityId), getGroup(db, e.contactGroupId)]);
    if (entity && entity.version >= e.version) return stale(entity.version, e.version);
    if (!group) return rejected(`unknown contact group ${e.contactGroupId}`);
    const item: EntityItem = { ...keys.entity(e.entityType, e.entityId), sk: 'ENTITY', type: 'Entity', entityType: e.entityType, entityId: e.entityId, groupId: e.contactGroupId, version: e.version };
    const actions: WriteAction[] = [putAction(item, cond.versionIs(entity?.version))];
    const previous = entity?.groupId ?? null;
    if (previous !== e.contactGroupId) {
      actions.push(entityCountChange(e.contactGroupId, +1), putAction(groupEntityRow(e.contactGroupId, e.entityType, e.entityId)));
      if (previous !== null) actions.push(entityCountChange(previous, -1), deleteAction(keys.groupEntity(previous, e.entityType, e.entityId)));
    }
    await transact(db, actions);
    return applied();
  });
}

export async function applyEntityUnlinked(db: Db, e: z.infer<typeof entityUnlinked>): Promise<Outcome> {
  return retryOnConflict(async () => {
    const entity = await getEntity(db, e.entityType, e.entityId);
    if (entity && entity.version >= e.version) return stale(entity.version, e.version);
    // A tombstone keeps the version, so an older EntityLinked arriving late is ignored.
    const item: EntityItem = { ...keys.entity(e.entityType, e.entityId), sk: 'ENTITY', type: 'Entity', entityType: e.entityType, entityId: e.entityId, groupId: null, version: e.version };
    const actions: WriteAction[] = [putAction(item, cond.versionIs(entity?.version))];
    if (entity?.groupId != null) actions.push(entityCountChange(entity.groupId, -1), deleteAction(keys.groupEntity(entity.groupId, e.entityType, e.entityId)));
    await transact(db, actions);
    return applied();
  });
}
