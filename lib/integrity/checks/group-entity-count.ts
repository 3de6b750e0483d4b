// A group's `entityCount` (a group with linked entities cannot be deleted): the number of entity links naming it.
// Counting needs every entity item, which no key lookup finds: a finding is confirmed by a second scan, and the repair
// is conditioned on the count as that scan read it (a link or unlink since changes it, and the repair is skipped).
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { updateAction, writeOne } from '../../store/transactions.js';
import type { Finding, IntegrityCheck } from '../finding.js';

export const groupEntityCount: IntegrityCheck = {
  name: 'group-entity-count',
  derives: "a group's entityCount, from the entity links naming it",
  confirmBy: 'rescan',
  run(snapshot) {
    const counts = new Map<number, number>();
    const findings: Finding[] = [];
    for (const entity of snapshot.entities.values()) {
      if (entity.groupId === null || entity.groupId === undefined) continue;
      counts.set(entity.groupId, (counts.get(entity.groupId) ?? 0) + 1);
      if (snapshot.groups.has(entity.groupId)) continue;
      const subject = keys.entity(entity.entityType, entity.entityId);
      findings.push({
        check: 'group-entity-count',
        kind: 'link-to-missing-group',
        severity: 'disagreement',
        subject,
        sources: [keys.group(entity.groupId)],
        message: `${entity.entityType} ${entity.entityId} is linked to group ${entity.groupId}, which does not exist (upstream's EntityUnlinked or EntityLinked decides where it belongs)`,
      });
    }
    for (const group of snapshot.groups.values()) {
      const expected = counts.get(group.groupId) ?? 0;
      const stored = group.entityCount ?? 0;
      if (stored === expected) continue;
      const subject = keys.group(group.groupId);
      findings.push({
        check: 'group-entity-count',
        kind: 'wrong-count',
        severity: 'disagreement',
        subject,
        sources: [],
        message: `entityCount ${stored}, but ${expected} entit${expected === 1 ? 'y is' : 'ies are'} linked to it${stored < expected ? ' (it could be deleted with entities linked)' : ' (it cannot be deleted)'}`,
        repair: {
          action: `set entityCount ${expected}`,
          run: (db) =>
            writeOne(
              db,
              updateAction(subject, {
                set: [[['entityCount'], expected]],
                condition: group.entityCount === undefined ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(entityCount)' } : cond.versionIs(group.entityCount, 'entityCount'),
              }) as never,
            ),
        },
      });
    }
    return findings;
  },
};
