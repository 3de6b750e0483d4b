// Writes of contact groups: one atomic change of the group item, its external-id alias and the contacts' group
// index, with the assignee counts that access checks read kept exact (SPEC 5.3, "every read-modify-write is atomic").
import type { Db } from '../store/client.js';
import { commit, commitChange, fitsOneTransaction, type Plan } from '../store/plans.js';
import { assigneeIds, joinGroupPlan, leaveGroupPlan } from '../store/contacts.js';
import { deleteGroupAction, externalIdActions, pendingGroup, pendingGroupPlan, putGroupAction } from '../store/groups.js';
import type { ContactLinksItem, GroupItem } from '../store/items.js';
import { applyAssignmentChanges, assigneeHints, assignmentChanges } from '../domain/groups.js';

export interface GroupChange {
  /** The group as read (undefined for a creation). */
  before: GroupItem | undefined;
  /** Its next state (undefined for a deletion). */
  after: GroupItem | undefined;
  /** Links of every contact that joins, leaves or changes status, as read (their assignees feed the counts). */
  links: ReadonlyMap<number, ContactLinksItem>;
  /** Other writes committed with the group item, in the same transaction (e.g. a contact created for the group). */
  extra?: Plan;
  /** Contacts created by `extra`: their new links item already lists the group, so they get no join update. */
  created?: ReadonlySet<number>;
}

const contactIdsOf = (g: GroupItem | undefined) => new Set((g?.contacts ?? []).map((m) => m.contactId));

/**
 * Commits a group change. Contacts joining get the group in their links (conditioned on the links version read, so
 * an assignment committed meanwhile forces a retry); contacts leaving lose it afterwards (superset index). The group
 * item is conditioned on version, accessVersion and entityCount. Up to 100 actions this is one transaction; above,
 * joins go first (a creation first writes a `pending` group so assignment writers see it and conflict), the group
 * item commits alone, and leaves follow: readers never see a half-applied group.
 */
export async function commitGroupChange(db: Db, change: GroupChange): Promise<void> {
  const { after } = change;
  let before = change.before;
  const groupId = (after ?? before)!.groupId;
  const beforeIds = contactIdsOf(before);
  const afterIds = contactIdsOf(after);
  const joining = [...afterIds].filter((c) => !beforeIds.has(c) && !change.created?.has(c));
  const extra = change.extra ?? [];
  const leaving = [...beforeIds].filter((c) => !afterIds.has(c));

  const joins = (expected: (c: number) => number): Plan => joining.flatMap((c) => joinGroupPlan(c, groupId, expected(c)));
  const leaves: Plan = leaving.flatMap((c) => leaveGroupPlan(c, groupId));

  const aliasActions = externalIdActions(groupId, before?.groupExternalId ?? undefined, after?.groupExternalId ?? undefined);

  const linksVersion = (c: number) => {
    const links = change.links.get(c);
    if (!links) throw new Error(`links of contact ${c} were not read`);
    return links.version;
  };

  const groupAction = (previous: GroupItem | undefined) => {
    // groupUnchanged includes entityCount: an entity linked after the read makes the deletion retry (and refuse).
    if (!after) return deleteGroupAction(previous!);
    const changes = assignmentChanges(previous?.contacts ?? [], after.contacts, (c) => {
      const links = change.links.get(c);
      if (!links) throw new Error(`links of contact ${c} were not read`);
      return assigneeIds(links);
    });
    const { assignees, assigneeContacts } = applyAssignmentChanges({ assignees: previous?.assignees ?? {}, assigneeContacts: previous?.assigneeContacts }, changes);
    const next: GroupItem = {
      ...after,
      assignees,
      assigneeContacts,
      // Copies of the counted members' ancestor lists: kept, or taken from the links of the contacts that joined.
      assigneeAncestors: assigneeHints(assignees, previous?.assigneeAncestors, [...change.links.values()].map((l) => l.assigneeAncestors)),
      entityCount: previous?.entityCount ?? 0,
    };
    delete next.pending;
    return putGroupAction(previous, next, { accessChanged: changes.length > 0 });
  };

  const total = joining.length + leaving.length + aliasActions.length + extra.length + 1;
  if (fitsOneTransaction(total)) {
    await commit(db, joins(linksVersion), [groupAction(before)], aliasActions, extra, leaves);
    return;
  }
  if (!before) {
    // Creation larger than one transaction: a pending group first, so concurrent assignment writers that find the
    // group in a contact's links bump its accessVersion and make the final commit retry on fresh assignee data.
    const pending = pendingGroup(after!);
    await commit(db, pendingGroupPlan(pending));
    before = { ...pending };
  }
  await commitChange(db, {
    before: joins(linksVersion),
    commit: [groupAction(before), ...aliasActions, ...extra],
    after: leaves,
  });
}
