// Removal of a contact and every link of it (ContactDeleted): groups, assignments, participants, relatives.
import type { Db } from '../store/client.js';
import { commitChange, type Plan } from '../store/plans.js';
import { assigneeIds, assignmentRowDeletePlan, contactDeletionPlan, getLinks, groupIdsOf } from '../store/contacts.js';
import { getGroupsMany, groupDeletionPlan, putGroupAction } from '../store/groups.js';
import { relativeLinksOf, unlinkPairPlan } from '../store/relatives.js';
import { applyAssignmentChanges, assigneeHints, assignmentChanges, renumber } from '../domain/groups.js';

/**
 * Deletes the contact in one transaction with the groups it leaves (renumbered, assignee counts adjusted; a
 * group left empty is deleted unless entities are linked to it). Relative links (both sides) and reverse
 * assignment rows join the same transaction when it fits, else follow it (readers skip rows of missing contacts).
 */
export async function deleteContactCascade(db: Db, contactId: number, extra: Plan, now: string): Promise<void> {
  const links = await getLinks(db, contactId);
  if (!links) throw new Error(`contact ${contactId} has no links item`);
  // Relatives are read after LINKS: a relative written after this read bumps LINKS.version, so the conditional
  // delete below fails and retries; read in parallel, one committed between the two reads would be left dangling.
  const [groups, relatives] = await Promise.all([
    getGroupsMany(db, groupIdsOf(links)),
    relativeLinksOf(db, contactId),
  ]);
  const assigned = assigneeIds(links);

  const commit = [...extra, ...contactDeletionPlan(links)];
  for (const group of groups.values()) {
    if (!group.contacts.some((m) => m.contactId === contactId)) continue;
    const remaining = renumber(group.contacts.filter((m) => m.contactId !== contactId));
    const changes = assignmentChanges(group.contacts, remaining, (c) => (c === contactId ? assigned : []));
    if (remaining.length === 0 && group.entityCount === 0) {
      commit.push(...groupDeletionPlan(group));
    } else {
      const { assignees, assigneeContacts } = applyAssignmentChanges(group, changes);
      commit.push(
        putGroupAction(
          group,
          { ...group, contacts: remaining, assignees, assigneeContacts, assigneeAncestors: assigneeHints(assignees, group.assigneeAncestors, []), updatedAt: now },
          { accessChanged: changes.length > 0 },
        ),
      );
    }
  }
  const after = [
    ...relatives.flatMap((r) => unlinkPairPlan(contactId, r.relativeContactId)),
    ...assigned.flatMap((memberId) => assignmentRowDeletePlan(memberId, contactId)),
  ];
  await commitChange(db, { commit, after });
}
