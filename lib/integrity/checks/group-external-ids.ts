// External-id aliases `GROUPEXT#<id>` (group by external id, and its uniqueness): one per group with an external id,
// naming that group; an alias naming a group that is gone or has another external id is a stale index entry (it
// would refuse the id to every other group, and a search by it finds nothing).
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { checkAction, deleteAction, putAction, transact } from '../../store/transactions.js';
import type { GroupExternalIdItem, GroupItem } from '../../store/items.js';
import { externalIdAlias } from '../../store/groups.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const check = 'group-external-ids';

export const groupExternalIds: IntegrityCheck = {
  name: check,
  derives: 'external-id aliases, from the groups\' groupExternalId',
  run(snapshot) {
    const findings: Finding[] = [];
    const claimed = new Map<string, number[]>();
    for (const group of snapshot.groups.values()) {
      if (group.pending || !group.groupExternalId) continue;
      claimed.set(group.groupExternalId, [...(claimed.get(group.groupExternalId) ?? []), group.groupId]);
    }
    for (const [externalId, groupIds] of claimed) {
      const aliasKey = keys.groupExternalId(externalId);
      const alias = snapshot.get<GroupExternalIdItem>(aliasKey);
      if (groupIds.length > 1) {
        findings.push({
          check, kind: 'duplicate-external-id', severity: 'disagreement', subject: aliasKey, sources: groupIds.map(keys.group),
          message: `groups ${groupIds.join(', ')} all have the external id "${externalId}" (it must be unique): rename all but one`,
        });
        continue;
      }
      const groupId = groupIds[0]!;
      if (alias?.groupId === groupId) continue;
      if (alias) continue; // an alias naming another group: judged below, from the alias
      const group = snapshot.groups.get(groupId)!;
      const item = externalIdAlias(externalId, groupId);
      findings.push({
        check, kind: 'missing-alias', severity: 'disagreement', subject: aliasKey, sources: [keys.group(groupId)],
        message: `group ${groupId} has the external id "${externalId}", but no alias names it (a search by it misses the group, another group could take it)`,
        repair: { action: `put the alias "${externalId}" → group ${groupId}`, run: (db) => transact(db, [putAction(item, cond.absent()), checkAction(keys.group(groupId), cond.versionIs(group.version))]) },
      });
    }
    for (const alias of snapshot.groupExternalIds.values()) {
      const group = snapshot.groups.get(alias.groupId);
      if (group && !group.pending && group.groupExternalId === alias.groupExternalId) continue;
      const aliasKey = keys.groupExternalId(alias.groupExternalId);
      const groupKey = keys.group(alias.groupId);
      findings.push({
        check, kind: 'stale-alias', severity: 'disagreement', subject: aliasKey, sources: [groupKey],
        message: `the alias "${alias.groupExternalId}" names group ${alias.groupId}, which ${!group ? 'does not exist' : group.pending ? 'is a pending creation' : `has the external id "${group.groupExternalId ?? ''}"`} (the id is refused to every other group)`,
        repair: {
          action: `delete the alias "${alias.groupExternalId}"`,
          run: (db) =>
            transact(db, [
              deleteAction(aliasKey, { ConditionExpression: 'groupId = :gid', ExpressionAttributeValues: { ':gid': alias.groupId } }),
              checkAction(groupKey, group ? cond.versionIs((group as GroupItem).version) : cond.absent()),
            ]),
        },
      });
    }
    return findings;
  },
};
