// ContactAccessManagement use cases (SPEC 5.1): advisors of a contact and their pictures, member assignment
// (add / replace, with the data-segregation rule) and the member-access search with hierarchy access.
import type { Db } from '../store/client.js';
import type { Settings } from '../config.js';
import { Items, readTogether, want } from '../store/read-together.js';
import { assigneeIds } from '../store/contacts.js';
import { ancestorsOf, getMembersMany, isLive } from '../store/members.js';
import { advisorOrder, memberAccessOf, participantMismatches, type MemberAccessEntry } from '../domain/member-access.js';
import type { MemberItem } from '../store/items.js';
import { DEFAULT_PICTURE_BASE64 } from '../domain/default-picture.js';
import { requireWriter } from '../domain/caller.js';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../domain/errors.js';
import { AccessGuard } from './access-guard.js';
import { changeAssignments, type AssignmentsChanged } from './assignments.js';

export interface Advisor {
  id: number;
  identityId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  hasProfilePicture: boolean;
}


export interface ContactMemberAccess {
  contactUid: string;
  contactId: number;
  members: MemberAccessEntry[];
}

const advisorOf = (m: MemberItem): Advisor => ({
  id: m.memberId,
  identityId: m.identityId,
  firstName: m.firstName ?? null,
  lastName: m.lastName ?? null,
  email: m.email ?? null,
  phone: m.phone ?? null,
  jobTitle: m.jobTitle ?? null,
  hasProfilePicture: m.hasPicture === true,
});

/**
 * The contact's directly assigned members (deleted members and stale entries left out), by lastName, firstName.
 * The advisors' items, read in the second round, also carry the ancestor lists that decide a manager's access: it
 * is decided before anything is returned.
 */
export async function memberProfiles(db: Db, guard: AccessGuard, contactId: number): Promise<Advisor[]> {
  const links = (await guard.loadLinks([contactId])).get(contactId);
  if (!links) throw new NotFoundError('ContactNotFound', { ids: [contactId] });
  const members = await getMembersMany(db, assigneeIds(links));
  guard.absorbMembers(members, assigneeIds(links));
  if (!guard.can(links)) throw new ForbiddenError('NoContactAccess', { contactId });
  return [...members.values()].filter(isLive).sort(advisorOrder).map(advisorOf);
}

/** The advisor's stored picture, else the built-in default; 404 when the member is not an advisor of the contact. */
export async function advisorPicture(
  db: Db,
  guard: AccessGuard,
  input: { contactId: number; memberId: number },
): Promise<{ imageContentBase64: string; isDefaultImage: boolean }> {
  const links = await guard.requireContact(input.contactId);
  const notAdvisor = () => new NotFoundError('AdvisorNotFound', { contactId: input.contactId, memberId: input.memberId });
  if (!Object.hasOwn(links.assignees, String(input.memberId))) throw notAdvisor();
  const reads = await readTogether(db, [want(Items.member, [input.memberId]), want(Items.picture, [input.memberId])]);
  if (!isLive(reads.get(Items.member, input.memberId))) throw notAdvisor();
  const picture = reads.get(Items.picture, input.memberId);
  if (picture?.image && picture.image.length > 0) {
    return { imageContentBase64: Buffer.from(picture.image).toString('base64'), isDefaultImage: false };
  }
  return { imageContentBase64: DEFAULT_PICTURE_BASE64, isDefaultImage: true };
}

/**
 * POST (`add`: current ∪ given) or PUT (`replace`: exactly the given set) of a contact's members, as one atomic
 * change conditioned on the LINKS version that access and the rules were decided on. Every given id must name a
 * live member (else 422 MemberNotFound); the segregation rule applies to the members being newly assigned, so an
 * assignment that predates a removed participant association survives a PUT that keeps it.
 */
export async function assignMembers(
  db: Db,
  guard: AccessGuard,
  settings: Pick<Settings, 'dataSegregation'>,
  input: { contactId: number; memberIds: readonly number[]; mode: 'add' | 'replace'; now: string },
): Promise<AssignmentsChanged> {
  requireWriter(guard.caller);
  const given = [...new Set(input.memberIds)].sort((a, b) => a - b);
  // The given members, read to validate them; their ancestor lists are then copied beside the assignment.
  const read = new Map<number, MemberItem>();
  return changeAssignments(
    db,
    input.contactId,
    async (links, current) => {
      // Member items are read beside the caller's reach (one round); nothing is told before access is decided.
      const [, members] = await Promise.all([guard.prepare([links]), getMembersMany(db, given)]);
      for (const [id, member] of members) read.set(id, member);
      if (!guard.can(links)) throw new ForbiddenError('NoContactAccess', { contactId: input.contactId });
      const unknown = given.filter((id) => !isLive(members.get(id)));
      if (unknown.length > 0) throw new RuleViolationError('MemberNotFound', { ids: unknown });
      const newcomers = given.filter((id) => !current.has(id)).map((id) => members.get(id)!);
      const mismatched = participantMismatches(links, newcomers, settings);
      if (mismatched.length > 0) throw new RuleViolationError('MemberParticipantMismatch', { ids: mismatched });
      return input.mode === 'replace' ? given : [...current, ...given];
    },
    input.now,
    read,
  );
}

/**
 * For each existing contact the caller may access, in the order of the request (duplicates once): its member
 * access. Unknown, deleted and inaccessible uids are left out. Four round trips whatever the number of uids and the
 * depth of the hierarchy: aliases (+ the member caller's identity), links, the assigned members (their ancestor
 * lists also decide a manager caller's access), then the ancestors not read yet.
 */
export async function searchMemberAccess(db: Db, guard: AccessGuard, contactUids: readonly string[]): Promise<ContactMemberAccess[]> {
  const uids = [...new Set(contactUids.map((u) => u.toLowerCase()))];
  const wants = guard.wanted();
  const reads = await readTogether(db, [want(Items.uidAlias, uids), ...AccessGuard.readsOf(wants)]);
  guard.absorb(wants, reads);

  const contactIdOf = new Map<string, number>();
  for (const [uid, alias] of reads.pick(Items.uidAlias, uids)) {
    if (alias.contactId !== undefined && alias.deleted !== true) contactIdOf.set(uid, alias.contactId);
  }
  const links = await guard.loadLinks([...new Set(contactIdOf.values())]);
  const assigned = [...new Set([...links.values()].flatMap(assigneeIds))];
  const members = await getMembersMany(db, assigned);
  guard.absorbMembers(members, assigned);
  const visible = uids.flatMap((uid) => {
    const contactLinks = links.get(contactIdOf.get(uid) ?? 0);
    return contactLinks && guard.can(contactLinks) ? [{ uid, links: contactLinks }] : [];
  });
  const ancestorIds = new Set(visible.flatMap((v) => assigneeIds(v.links).flatMap((m) => (isLive(members.get(m)) ? ancestorsOf(members.get(m)!) : []))));
  const missing = [...ancestorIds].filter((id) => !members.has(id));
  for (const [id, member] of await getMembersMany(db, missing)) members.set(id, member);
  return visible.map(({ uid, links: l }) => ({ contactUid: uid, contactId: l.contactId, members: memberAccessOf(assigneeIds(l), members) }));
}
