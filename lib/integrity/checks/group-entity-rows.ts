// A group's rows of its linked entities (`GROUP#g / ENTITY#type#id`, read by the reach projection to find what a
// group's reachers reach): one per entity link naming the group, written in the link's transaction. A missing row
// hides the entity from lookups; a row no link backs would let the projection index an entity lookups then drop.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { keyString } from '../../store/reads.js';
import { checkAction, deleteAction, putAction, transact } from '../../store/transactions.js';
import type { GroupEntityItem } from '../../store/items.js';
import type { Finding, IntegrityCheck } from '../finding.js';

export const groupEntityRows: IntegrityCheck = {
  name: 'group-entity-rows',
  derives: "a group's rows of its linked entities, from the entity links",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const entity of snapshot.entities.values()) {
      if (entity.groupId === null || entity.groupId === undefined || !snapshot.groups.has(entity.groupId)) continue;
      const row = keys.groupEntity(entity.groupId, entity.entityType, entity.entityId);
      if (snapshot.groupEntityRows.has(keyString(row))) continue;
      const source = keys.entity(entity.entityType, entity.entityId);
      const item: GroupEntityItem = { ...row, type: 'GroupEntity', groupId: entity.groupId, entityType: entity.entityType, entityId: entity.entityId };
      findings.push({
        check: 'group-entity-rows',
        kind: 'missing-row',
        severity: 'disagreement',
        subject: row,
        sources: [source],
        message: `${entity.entityType} ${entity.entityId} is linked to group ${entity.groupId}, which has no row of it (lookups would not reach it)`,
        repair: { action: 'put the row', run: (db) => transact(db, [checkAction(source, cond.versionIs(entity.version)), putAction(item)]) },
      });
    }
    for (const row of snapshot.groupEntityRows.values()) {
      const source = keys.entity(row.entityType, row.entityId);
      const entity = snapshot.entities.get(keyString(source));
      if (entity?.groupId === row.groupId) continue;
      findings.push({
        check: 'group-entity-rows',
        kind: 'stale-row',
        severity: 'disagreement',
        subject: { pk: row.pk, sk: row.sk },
        sources: [source],
        message: `group ${row.groupId} has a row of ${row.entityType} ${row.entityId}, which is ${entity?.groupId != null ? `linked to group ${entity.groupId}` : 'linked to no group'}`,
        repair: {
          action: 'delete the row',
          run: (db) => transact(db, [checkAction(source, entity ? cond.versionIs(entity.version) : cond.absent()), deleteAction({ pk: row.pk, sk: row.sk })]),
        },
      });
    }
    return findings;
  },
};
