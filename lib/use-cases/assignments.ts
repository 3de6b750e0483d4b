// Member assignments of a contact: one atomic change of the contact's assignee set, its groups' assignee counts
// and the reverse index rows (SPEC 5.1 POST/PUT members, MemberDeleted clean-up).
import type { Db } from '../store/client.js';
import { commit, commitChange, fitsOneTransaction, retryOnConflict, type Plan } from '../store/plans.js';
import { assigneeIds, assigneesPlan, assignmentRowDeletePlan, assignmentRowsDelete, assignmentRowsPut, getLinks, groupIdsOf } from '../store/contacts.js';
import { getGroupsMany, groupAssigneesPlan } from '../store/groups.js';
import { getMembersMany, hintOf, notDeletedPlan } from '../store/members.js';
import type { ContactLinksItem, GroupItem, MemberItem } from '../store/items.js';
import { applyAssignmentChanges, assigneeHints, isActiveMembership, type AssignmentChange } from '../domain/groups.js';
import type { AncestryHint } from '../domain/member-hierarchy.js';
import { NotFoundError } from '../domain/errors.js';

export interface AssignmentsChanged {
  added: number[];
  removed: number[];
}

/**
 * Reads the contact's links, asks `decide` for the next assignee set (it may validate and throw), and commits:
 * the links item (conditioned on its version), every group holding the contact (assignee counts, conditioned on
 * its accessVersion) and the reverse rows. The new members' ancestor lists are copied beside the assignment (from
 * `members` when the caller read them, else read here), so a manager's access is decided without reading them
 * again. Lost races are retried on the new state.
 */
export async function changeAssignments(
  db: Db,
  contactId: number,
  decide: (links: ContactLinksItem, current: ReadonlySet<number>) => Promise<Iterable<number>> | Iterable<number>,
  now: string,
  members: ReadonlyMap<number, MemberItem> = new Map(),
): Promise<AssignmentsChanged> {
  return retryOnConflict(async () => {
    const links = await getLinks(db, contactId);
    if (!links) throw new NotFoundError('ContactNotFound', { ids: [contactId] });
    const current = new Set(assigneeIds(links));
    const next = new Set(await decide(links, current));
    const added = [...next].filter((m) => !current.has(m)).sort((a, b) => a - b);
    const removed = [...current].filter((m) => !next.has(m)).sort((a, b) => a - b);
    if (added.length === 0 && removed.length === 0) return { added, removed };

    const unread = added.filter((m) => !members.has(m));
    const [groups, read] = await Promise.all([getGroupsMany(db, groupIdsOf(links)), unread.length > 0 ? getMembersMany(db, unread) : new Map<number, MemberItem>()]);
    const hints: Record<string, AncestryHint> = {};
    for (const m of added) {
      const hint = hintOf(members.get(m) ?? read.get(m));
      if (hint) hints[String(m)] = hint;
    }
    const orphanGroups = groupIdsOf(links).filter((g) => !groups.has(g));
    const assignees: Record<string, string> = { ...links.assignees };
    for (const m of added) assignees[String(m)] = now;
    for (const m of removed) delete assignees[String(m)];
    // The links keep one copy per assigned member: a fresh one for the members just assigned, the kept one otherwise.
    const linkHints: Record<string, AncestryHint> = {};
    for (const m of Object.keys(assignees)) {
      const hint = Object.hasOwn(hints, m) ? hints[m] : added.includes(Number(m)) ? undefined : links.assigneeAncestors?.[m];
      if (hint) linkHints[m] = hint;
    }

    const change: Plan = [
      ...assigneesPlan(links, assignees, linkHints, orphanGroups),
      ...[...groups.values()].flatMap((group) => groupAssigneesUpdate(group, contactId, added, removed, hints)),
    ];
    // A member deleted since it was read must not end up assigned: MemberDeleted removes the assignments it finds after
    // writing its tombstone, so the commit is conditioned on no added member being a tombstone (the retry's decision
    // then sees the deletion). When those checks do not fit in the transaction, the added members are read again after
    // the commit instead and any deleted meanwhile is unassigned.
    const notDeleted = notDeletedPlan(added);
    const checked = fitsOneTransaction(change.length + notDeleted.length);
    await commitChange(db, {
      indexBefore: assignmentRowsPut(added, contactId),
      commit: checked ? [...change, ...notDeleted] : change,
      indexAfter: assignmentRowsDelete(removed, contactId),
    });
    if (!checked) await unassignDeleted(db, contactId, added, now);
    return { added, removed };
  });
}

async function unassignDeleted(db: Db, contactId: number, memberIds: readonly number[], now: string): Promise<void> {
  const members = await getMembersMany(db, memberIds);
  for (const memberId of memberIds) if (members.get(memberId)?.deleted) await removeAssignment(db, contactId, memberId, now);
}

/**
 * The assignee counts of a group after the contact's assignees change. Every group in the contact's (superset)
 * group list gets its accessVersion bumped, even one the contact is not an active member of: a concurrent group
 * write that read the old assignees then fails its condition and recomputes.
 */
function groupAssigneesUpdate(group: GroupItem, contactId: number, added: number[], removed: number[], hints: Record<string, AncestryHint>): Plan {
  const membership = group.contacts.find((m) => m.contactId === contactId);
  const counts = membership && isActiveMembership(membership);
  const changes: AssignmentChange[] = counts
    ? [...added.map((memberId) => ({ memberId, contactId, delta: 1 as const })), ...removed.map((memberId) => ({ memberId, contactId, delta: -1 as const }))]
    : [];
  const next = applyAssignmentChanges(group, changes);
  return groupAssigneesPlan(group, counts ? { ...next, assigneeAncestors: assigneeHints(next.assignees, group.assigneeAncestors, [hints]) } : undefined);
}

/** Removes one assignment (used by the MemberDeleted clean-up); a contact already gone only loses the reverse row. */
export async function removeAssignment(db: Db, contactId: number, memberId: number, now: string): Promise<void> {
  try {
    await changeAssignments(db, contactId, (_links, current) => [...current].filter((m) => m !== memberId), now);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  await commit(db, assignmentRowDeletePlan(memberId, contactId));
}
