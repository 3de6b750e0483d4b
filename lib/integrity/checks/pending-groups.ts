// Pending groups: a creation larger than one transaction first writes the group `pending` (invisible to readers) and
// commits it whole. One still pending after PENDING_GROUP_MAX_AGE_MS was abandoned (its request failed or timed out and
// no retry reuses its id): a leftover, removed with the contacts' index entries that point at it (links-groups).
import { keys } from '../../store/keys.js';
import { cond, andConditions } from '../../store/expressions.js';
import { deleteAction, transact } from '../../store/transactions.js';
import type { Finding, IntegrityCheck } from '../finding.js';

/** Far above any function's timeout (10 s API, 30 s ingest): no request still works on a creation this old. */
export const PENDING_GROUP_MAX_AGE_MS = 5 * 60_000;

export const isAbandonedPending = (group: { pending?: boolean; createdAt?: string; updatedAt?: string }, now: number) =>
  group.pending === true && now - Date.parse(group.updatedAt ?? group.createdAt ?? '') >= PENDING_GROUP_MAX_AGE_MS;

export const pendingGroups: IntegrityCheck = {
  name: 'pending-groups',
  derives: 'pending groups (creations larger than one transaction), from their age',
  run(snapshot, { now }) {
    const findings: Finding[] = [];
    for (const group of snapshot.groups.values()) {
      if (!isAbandonedPending(group, now)) continue;
      const subject = keys.group(group.groupId);
      const linked = (group.entityCount ?? 0) > 0;
      findings.push({
        check: 'pending-groups',
        kind: 'abandoned-creation',
        severity: 'tolerated',
        subject,
        sources: [],
        message: `a creation of group ${group.groupId} left pending since ${group.updatedAt ?? group.createdAt} (readers never see it)${linked ? `; ${group.entityCount} entit(y/ies) linked to it, so it is kept` : ''}`,
        ...(!linked && {
          repair: {
            action: `delete the pending group ${group.groupId}`,
            run: (db) =>
              transact(db, [
                deleteAction(
                  subject,
                  andConditions(
                    { ConditionExpression: 'pending = :t', ExpressionAttributeValues: { ':t': true } },
                    andConditions(andConditions(cond.versionIs(group.version), cond.versionIs(group.accessVersion, 'accessVersion')), cond.versionIs(0, 'entityCount')),
                  ),
                ),
              ]),
          },
        }),
      });
    }
    return findings;
  },
};
