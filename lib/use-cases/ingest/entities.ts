// EntityLinked / EntityUnlinked: entity → group links (upstream-owned), counted on the group for its delete rule.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { commit, retryOnConflict } from '../../store/plans.js';
import { getGroup } from '../../store/groups.js';
import { getEntity, linkEntityPlan } from '../../store/entities.js';
import type { entityLinked, entityUnlinked } from '../../events/inbound.js';
import { applied, rejected, stale, type Outcome } from './outcome.js';

export async function applyEntityLinked(db: Db, e: z.infer<typeof entityLinked>): Promise<Outcome> {
  return retryOnConflict(async () => {
    const [entity, group] = await Promise.all([getEntity(db, e.entityType, e.entityId), getGroup(db, e.contactGroupId)]);
    if (entity && entity.version >= e.version) return stale(entity.version, e.version);
    if (!group) return rejected(`unknown contact group ${e.contactGroupId}`);
    await commit(db, linkEntityPlan(entity, { entityType: e.entityType, entityId: e.entityId, groupId: e.contactGroupId, version: e.version }));
    return applied();
  });
}

export async function applyEntityUnlinked(db: Db, e: z.infer<typeof entityUnlinked>): Promise<Outcome> {
  return retryOnConflict(async () => {
    const entity = await getEntity(db, e.entityType, e.entityId);
    if (entity && entity.version >= e.version) return stale(entity.version, e.version);
    // A tombstone keeps the version, so an older EntityLinked arriving late is ignored.
    await commit(db, linkEntityPlan(entity, { entityType: e.entityType, entityId: e.entityId, groupId: null, version: e.version }));
    return applied();
  });
}
