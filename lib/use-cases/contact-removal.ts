// Removal of a contact and every link of it (ContactDeleted): groups, assignments, participants, relatives.
import type { Db } from '../store/client.js';
import { keys } from '../store/keys.js';
import { cond } from '../store/expressions.js';
import { queryPrefix } from '../store/reads.js';
import { commitChange, deleteAction, type WriteAction } from '../store/transactions.js';
import { assigneeIds, getLinks, groupIdsOf } from '../store/contacts.js';
import { deleteGroupAction, getGroupsMany, putGroupAction } from '../store/groups.js';
import type { RelativeItem } from '../store/items.js';
import { applyAssignmentChanges, assigneeHints, assignmentChanges, renumber } from '../domain/groups.js';

/**
 * Deletes the contact in one transaction with the groups it leaves (renumbered, assignee counts adjusted; a
 * group left empty is deleted unless entities are linked to it). Relative links (both sides) and reverse
 * assignment rows join the same transaction when it fits, else follow it (readers skip rows of missing contacts).
 */
export async function deleteContactCascade(db: Db, contactId: number, extra: readonly WriteAction[], now: string): Promise<void> {
  const links = await getLinks(db, contactId);
  if (!links) throw new Error(`contact ${contactId} has no links item`);
  // Relatives are read after LINKS: a relative written after this read bumps LINKS.version, so the conditional
  // delete below fails and retries; read in parallel, one committed between the two reads would be left dangling.
  const [groups, relatives] = await Promise.all([
    getGroupsMany(db, groupIdsOf(links)),
    queryPrefix<RelativeItem & { pk: string; sk: string }>(db, `CONTACT#${contactId}`, keys.relativePrefix),
  ]);
  const assigned = assigneeIds(links);

  const commit: WriteAction[] = [
    ...extra,
    deleteAction(keys.contactProfile(contactId)),
    deleteAction(keys.contactLinks(contactId), cond.versionIs(links.version)),
  ];
  for (const group of groups.values()) {
    if (!group.contacts.some((m) => m.contactId === contactId)) continue;
    const remaining = renumber(group.contacts.filter((m) => m.contactId !== contactId));
    const changes = assignmentChanges(group.contacts, remaining, (c) => (c === contactId ? assigned : []));
    if (remaining.length === 0 && group.entityCount === 0) {
      commit.push(deleteGroupAction(group));
      if (group.groupExternalId) commit.push(deleteAction(keys.groupExternalId(group.groupExternalId)));
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
  const after: WriteAction[] = [
    ...relatives.flatMap((r) => [deleteAction(keys.relative(contactId, r.relativeContactId)), deleteAction(keys.relative(r.relativeContactId, contactId))]),
    ...assigned.map((memberId) => deleteAction(keys.memberAssignment(memberId, contactId))),
  ];
  await commitChange(db, { commit, after });
}
