// Reads of contact groups (SPEC 5.3): one group (2 round trips), the groups of a contact (3, whatever their number),
// and the "may the caller read this group" rule shared with the search.
import type { Db } from '../store/client.js';
import { Items, readTogether, want } from '../store/read-together.js';
import { activeContactIdsOf, getGroupsMany, isVisible } from '../store/groups.js';
import { getProfilesMany, groupIdsOf } from '../store/contacts.js';
import type { ContactProfileItem, GroupItem } from '../store/items.js';
import { countedAssignees } from '../domain/groups.js';
import { canReadGroup } from '../domain/group-access.js';
import type { AncestryHint } from '../domain/member-hierarchy.js';
import { isAdmin } from '../domain/caller.js';
import { ForbiddenError } from '../domain/errors.js';
import type { Language } from '../i18n/languages.js';
import { AccessGuard } from './access-guard.js';
import { etagOf, requireGroup } from './groups.js';
import { contactIdsOfGroups, groupView, type GroupBody } from './group-views.js';

/** What decides who may read a group: its assignee counts and its Active contacts (a group item or a name-index entry). */
export interface GroupAccessView {
  groupId: number;
  assignees: Record<string, number>;
  assigneeAncestors?: Record<string, AncestryHint> | undefined;
  activeContactIds: readonly number[];
}

export const accessViewOf = (group: GroupItem): GroupAccessView => ({
  groupId: group.groupId,
  assignees: group.assignees,
  assigneeAncestors: group.assigneeAncestors,
  activeContactIds: activeContactIdsOf(group),
});

export interface GroupFacts {
  /** SPEC 5.3: the caller can access at least one Active contact of the group. */
  readable(group: GroupAccessView): boolean;
  profiles: Map<number, ContactProfileItem>;
}

/**
 * Loads, in ONE BatchGet, what decides readability of `checked` (a member caller: its identity and the ancestor
 * lists of the groups' assigned members, unless it is one of them; an application's access depends on the
 * contacts' participants: their links) and the profiles of `rendered`. Admins and contact callers need nothing
 * beyond the group item itself.
 */
export async function loadGroupFacts(
  db: Db,
  guard: AccessGuard,
  input: { checked: readonly GroupAccessView[]; rendered: readonly GroupItem[] },
): Promise<GroupFacts> {
  const { caller } = guard;
  const admin = isAdmin(caller);
  const member = !admin && caller.type === 'member' && input.checked.length > 0;
  if (member) for (const g of input.checked) guard.absorbHints(g.assigneeAncestors);
  const sets = member ? input.checked.map((g) => countedAssignees(g.assignees)) : [];
  const wants = guard.wanted(sets);
  const linkIds = !admin && caller.type === 'application' ? [...new Set(input.checked.flatMap((g) => g.activeContactIds))] : [];
  const profileIds = contactIdsOfGroups(input.rendered);
  const reads = await readTogether(db, [want(Items.links, linkIds), want(Items.profile, profileIds), ...AccessGuard.readsOf(wants)]);
  guard.absorb(wants, reads);
  // Copies of ancestor lists older than the caller's reach stamp (known only now): the lists themselves, one more read.
  if (member) await guard.prepareSets(sets);
  const reach = member ? guard.reach() : undefined;
  const links = reads.pick(Items.links, linkIds);
  const profiles = reads.pick(Items.profile, profileIds);

  const contactAccessible = (contactId: number) => {
    const contact = links.get(contactId);
    return contact !== undefined && guard.can(contact);
  };
  const readable = (group: GroupAccessView) => canReadGroup(caller, group, { reach, contactAccessible });
  return { readable, profiles };
}

/** GET /v1.0/contactgroups/{id}: the group body and its ETag; 404 unknown, 403 when no Active contact is accessible. */
export async function readGroup(db: Db, guard: AccessGuard, groupId: number, lang: Language): Promise<{ body: GroupBody; etag: string }> {
  const group = await requireGroup(db, groupId);
  const facts = await loadGroupFacts(db, guard, { checked: [accessViewOf(group)], rendered: [group] });
  if (!facts.readable(accessViewOf(group))) throw new ForbiddenError('NoGroupAccess', { groupId });
  return { body: groupView(group, facts.profiles, lang), etag: etagOf(group.version) };
}

/**
 * GET /v2.0/contacts/{id}/contactgroups: every group holding the contact (any status), whoever else is in it. The
 * contact's group index is a superset: each group is verified against its own memberships.
 */
export async function groupsOfContact(db: Db, guard: AccessGuard, contactId: number, lang: Language): Promise<GroupBody[]> {
  const links = await guard.requireContact(contactId);
  const candidates = await getGroupsMany(db, groupIdsOf(links));
  const groups = [...candidates.values()]
    .filter((g) => isVisible(g) && g.contacts.some((m) => m.contactId === contactId))
    .sort((a, b) => a.groupId - b.groupId);
  if (groups.length === 0) return [];
  const profiles = await getProfilesMany(db, contactIdsOfGroups(groups));
  return groups.map((g) => groupView(g, profiles, lang));
}
