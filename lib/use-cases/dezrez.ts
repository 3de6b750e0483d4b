// Dezrez `PUT api/group/{id}/addgroupmember` (SPEC 5.3): adds an existing contact, or one created from the person
// fields, to a group — the contact's creation, its participant association, the member caller's assignment and the
// group change commit in one transaction.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/client.js';
import { retryOnConflict, type Plan } from '../store/plans.js';
import { allocateIds } from '../store/counters.js';
import { assignmentRowPlan, getProfile, newContactPlan, newLinks, newProfile, uidAlias } from '../store/contacts.js';
import { getIdentity } from '../store/members.js';
import type { ContactLinksItem, ContactProfileItem, GroupItem, IdentityItem, Membership } from '../store/items.js';
import {
  ACTIVE,
  DEFAULT_GROUP_RELATIONSHIP_TYPE,
  GROUP_RELATIONSHIP_TYPE_NAMES,
  findGroupRelationshipType,
  findGroupRelationshipTypeById,
  type GroupRelationshipType,
} from '../domain/catalogues.js';
import { normalizeMemberships } from '../domain/groups.js';
import { requireWriter, type Caller } from '../domain/caller.js';
import { RuleViolationError } from '../domain/errors.js';
import type { DezrezAddGroupMemberIn, GroupMemberDataContract } from '../schemas/dezrez.js';
import type { Language } from '../i18n/languages.js';
import type { AccessGuard } from './access-guard.js';
import { requireGroup, withMembershipIds } from './groups.js';
import { commitGroupChange } from './group-writes.js';
import { groupMemberView, profileFieldsOf } from './dezrez-views.js';

type EnumIn = DezrezAddGroupMemberIn['RelationshipType'];

/** By SystemName, else by Id; nothing given → undefined (the default applies); something unresolvable → 422. */
export function resolveRelationshipType(value: EnumIn): GroupRelationshipType | undefined {
  const systemName = value?.SystemName?.trim() || undefined;
  const name = value?.Name?.trim() || undefined;
  if (systemName === undefined && value?.Id == null && name === undefined) return undefined;
  const entry = (systemName && findGroupRelationshipType(systemName)) || (value?.Id != null ? findGroupRelationshipTypeById(value.Id) : undefined);
  if (!entry) {
    throw new RuleViolationError('UnknownRelationshipType', { values: [systemName ?? value?.Id ?? name], allowed: GROUP_RELATIONSHIP_TYPE_NAMES });
  }
  return entry.systemName;
}

/** The participant a created contact is associated with: a member's own (stored) participant, else the token's. */
const participantOf = (caller: Caller, identity: IdentityItem | undefined) =>
  caller.type === 'contact' ? undefined : ((caller.type === 'member' ? identity?.participantUid : undefined) ?? caller.participantUid);

interface NewContact {
  profile: ContactProfileItem;
  links: ContactLinksItem;
  plan: Plan;
}

/** Every item of a contact created for the group: uid alias, profile, links (already listing the group), assignment row. */
function newContact(
  ids: { contactId: number; contactUid: string; groupId: number },
  person: DezrezAddGroupMemberIn['Person'],
  caller: Caller,
  identity: IdentityItem | undefined,
  now: string,
): NewContact {
  const { contactId, contactUid } = ids;
  const participant = participantOf(caller, identity);
  const links = newLinks(contactId, participant ? [participant] : [], now);
  links.groups = { [String(ids.groupId)]: 1 };
  if (caller.type === 'member') links.assignees = { [String(caller.memberId)]: now };
  const profile = newProfile(contactId, contactUid, { ...profileFieldsOf(person), version: 0 }, now);
  const plan = [...newContactPlan(uidAlias(contactUid, 0, contactId), profile, links), ...(caller.type === 'member' ? assignmentRowPlan(caller.memberId, contactId) : [])];
  return { profile, links, plan };
}

export async function addGroupMember(
  db: Db,
  guard: AccessGuard,
  input: { groupId: number; body: DezrezAddGroupMemberIn; lang: Language; now: string },
): Promise<GroupMemberDataContract> {
  const { caller } = guard;
  requireWriter(caller);
  const { Person: person } = input.body;
  const requestedType = resolveRelationshipType(input.body.RelationshipType);
  const personId = person.PersonId ?? person.Id ?? undefined;
  // Ids of a contact to create are reserved once: a retry after a lost race reuses them.
  let fresh: { contactId: number; contactUid: string } | undefined;

  const { profile, membership } = await retryOnConflict(async (): Promise<{ profile: ContactProfileItem; membership: Membership }> => {
    const [group, existing, identity, reserved] = await Promise.all([
      requireGroup(db, input.groupId),
      personId !== undefined ? getProfile(db, personId) : undefined,
      caller.type === 'member' ? getIdentity(db, caller.subject) : undefined,
      // Without a PersonId a contact is certainly created: reserve its id in the same round trip.
      personId === undefined && !fresh ? allocateIds(db, 'contact') : undefined,
    ]);
    if (reserved !== undefined) fresh = { contactId: reserved, contactUid: randomUUID() };
    if (caller.type === 'member') guard.absorbIdentity(identity);
    // A PersonId that names no contact falls back to creating one from the person fields, which needs a last name.
    if (personId !== undefined && !existing && !person.LastName?.trim()) throw new RuleViolationError('ContactNotFound', { ids: [personId] });

    // Changing the group needs access to every contact involved: the current ones and an existing person.
    const involved = [...group.contacts.map((m) => m.contactId), ...(existing ? [existing.contactId] : [])];
    const links = await guard.requireContacts(involved, 'Unprocessable');

    const already = existing && group.contacts.find((m) => m.contactId === existing.contactId);
    if (already) {
      if (requestedType !== undefined && requestedType !== already.relationshipType) {
        throw new RuleViolationError('RelationshipTypeMismatch', { contactId: already.contactId, relationshipType: already.relationshipType });
      }
      return { profile: existing, membership: already };
    }

    const relationshipType = requestedType ?? DEFAULT_GROUP_RELATIONSHIP_TYPE;
    if (!existing) fresh ??= { contactId: await allocateIds(db, 'contact'), contactUid: randomUUID() };
    const joiningId = existing?.contactId ?? fresh!.contactId;
    const nextOrder = Math.max(0, ...group.contacts.map((m) => m.order)) + 1;
    // The group rules (at most 100 contacts, one primary member, orders 1..n) over the new membership set.
    const drafts = normalizeMemberships(
      [...group.contacts, { contactId: joiningId, relationshipType, systemStatus: ACTIVE, order: nextOrder }],
      group.contacts,
    );
    const contacts = await withMembershipIds(db, drafts);
    const created = existing ? undefined : newContact({ ...fresh!, groupId: group.groupId }, person, caller, identity, input.now);
    const after: GroupItem = { ...group, contacts, updatedAt: input.now };
    await commitGroupChange(db, {
      before: group,
      after,
      links: created ? new Map([...links, [joiningId, created.links]]) : links,
      ...(created && { extra: created.plan, created: new Set([joiningId]) }),
    });
    return { profile: existing ?? created!.profile, membership: contacts.find((m) => m.contactId === joiningId)! };
  });
  return groupMemberView(profile, membership, input.lang);
}
