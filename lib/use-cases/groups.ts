// Contact group use cases: create, modify, delete — authorization on every contact involved, the group rules,
// If-Match, and optimistic concurrency (SPEC 5.3).
import type { Db } from '../store/client.js';
import { retryOnConflict } from '../store/plans.js';
import { allocateIds } from '../store/counters.js';
import { getExternalIdAlias, getGroup, isVisible, newGroup } from '../store/groups.js';
import type { GroupItem, Membership } from '../store/items.js';
import { normalizeMemberships, type MembershipDraft, type MembershipInput } from '../domain/groups.js';
import { requireWriter } from '../domain/caller.js';
import { NotFoundError, PreconditionFailedError, RuleViolationError } from '../domain/errors.js';
import type { AccessGuard } from './access-guard.js';
import { commitGroupChange } from './group-writes.js';

export interface GroupInput {
  groupName?: string | null;
  groupExternalId?: string | null;
  customAttributes?: string | null;
  contacts?: readonly MembershipInput[] | null;
}

/** ETag of a group version (strong validator). */
export const etagOf = (version: number) => `"${version}"`;

/** If-Match → the version it names; `*` matches any existing version. Malformed → 412 (it cannot match). */
export function checkIfMatch(ifMatch: string | undefined, group: GroupItem): void {
  if (ifMatch === undefined) return;
  const candidates = ifMatch.split(',').map((v) => v.trim().replace(/^W\//, ''));
  if (candidates.includes('*') || candidates.includes(etagOf(group.version))) return;
  throw new PreconditionFailedError('VersionMismatch', { currentVersion: group.version });
}

async function assertExternalIdFree(db: Db, externalId: string | null | undefined, groupId: number) {
  if (!externalId) return;
  const alias = await getExternalIdAlias(db, externalId);
  if (alias && alias.groupId !== groupId) throw new RuleViolationError('DuplicateExternalId', { groupExternalId: externalId });
}

/** Keeps the membership ids of contacts already in the group and allocates ids for the others (one counter update). */
export async function withMembershipIds(db: Db, drafts: MembershipDraft[]): Promise<Membership[]> {
  const missing = drafts.filter((d) => d.membershipId === undefined);
  let next = missing.length > 0 ? await allocateIds(db, 'membership', missing.length) : 0;
  return drafts.map((d) => ({ ...d, membershipId: d.membershipId ?? next++ }));
}

export async function createGroup(
  db: Db,
  guard: AccessGuard,
  input: { contactId: number; group: GroupInput & { groupName: string }; now: string },
): Promise<number> {
  requireWriter(guard.caller);
  const given = input.group.contacts ?? [];
  const memberships = given.some((c) => c.contactId === input.contactId) ? given : [{ contactId: input.contactId }, ...given];
  const drafts = normalizeMemberships(memberships);
  // The path contact must exist (404); the others are referenced ids (422); every one must be accessible (403).
  await guard.requireContacts([input.contactId]);
  await guard.requireContacts(drafts.map((d) => d.contactId), 'Unprocessable');

  const [groupId, contacts] = await Promise.all([allocateIds(db, 'group'), withMembershipIds(db, drafts)]);
  await retryOnConflict(async () => {
    // Independent reads in one round trip: a pending group of an earlier attempt of this same creation, the
    // external-id alias, and the links the assignee counts are computed from.
    const [existing, , links] = await Promise.all([
      getGroup(db, groupId),
      assertExternalIdFree(db, input.group.groupExternalId, groupId),
      guard.load(drafts.map((d) => d.contactId)),
    ]);
    const after = newGroup(groupId, { ...input.group, contacts }, existing?.createdAt ?? input.now, input.now);
    await commitGroupChange(db, { before: existing, after, links });
  });
  return groupId;
}

/** Loads a visible group or 404. */
export async function requireGroup(db: Db, groupId: number): Promise<GroupItem> {
  const group = await getGroup(db, groupId);
  if (!isVisible(group)) throw new NotFoundError('GroupNotFound', { groupId });
  return group;
}

export async function modifyGroup(
  db: Db,
  guard: AccessGuard,
  input: { groupId: number; group: GroupInput; ifMatch?: string | undefined; now: string },
): Promise<void> {
  requireWriter(guard.caller);
  await retryOnConflict(async () => {
    const before = await requireGroup(db, input.groupId);
    checkIfMatch(input.ifMatch, before);
    const drafts = input.group.contacts != null ? normalizeMemberships(input.group.contacts, before.contacts) : undefined;
    if (drafts && drafts.length === 0) throw new RuleViolationError('GroupMustHaveContact');
    const current = before.contacts.map((m) => m.contactId);
    const next = drafts?.map((d) => d.contactId) ?? [];
    // Every current and every new contact must be accessible; a new one that does not exist is a 422.
    const links = await guard.requireContacts([...new Set([...current, ...next])], 'Unprocessable');
    if (input.group.groupExternalId != null) await assertExternalIdFree(db, input.group.groupExternalId, before.groupId);
    const contacts = drafts ? await withMembershipIds(db, drafts) : before.contacts;
    const after: GroupItem = {
      ...before,
      ...(input.group.groupName != null && { groupName: input.group.groupName }),
      ...(input.group.groupExternalId != null && { groupExternalId: input.group.groupExternalId }),
      ...(input.group.customAttributes != null && { customAttributes: input.group.customAttributes }),
      contacts,
      updatedAt: input.now,
    };
    await commitGroupChange(db, { before, after, links });
  });
}

export async function deleteGroup(db: Db, guard: AccessGuard, input: { groupId: number; ifMatch?: string | undefined }): Promise<void> {
  requireWriter(guard.caller);
  await retryOnConflict(async () => {
    const before = await requireGroup(db, input.groupId);
    checkIfMatch(input.ifMatch, before);
    const links = await guard.requireContacts(before.contacts.map((m) => m.contactId));
    if (before.entityCount > 0) throw new RuleViolationError('GroupHasLinkedEntities', { entityCount: before.entityCount });
    await commitGroupChange(db, { before, after: undefined, links });
  });
}
