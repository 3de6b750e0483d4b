// Group and entity access checks (SPEC 5.2) and who may ask about which subject (SPEC 3): the pure decisions.
import { isAdmin, type Caller } from './caller.js';
import type { AccessSettings, MemberReach } from './contact-access.js';
import { countedAssignees, isActiveMembership, memberReachesGroup, type MembershipLike } from './groups.js';
import { nearestReached, type HierarchyFacts } from './member-hierarchy.js';

/** The subject of a check: a contact or a member identity (the caller may ask about another subject). */
export type SubjectRef = { readonly contactId: number; readonly identityId?: undefined } | { readonly identityId: string; readonly contactId?: undefined };

/**
 * Whether the caller may ask about a subject, decided before anything is read where possible (a member asking
 * about another identity learns nothing, not even whether it exists): `ownParticipant` means the answer depends
 * on the subject's participant (applications under data segregation).
 */
export type AskRule = 'allowed' | 'denied' | 'ownParticipant';

export function askRule(caller: Caller, subject: SubjectRef, settings: AccessSettings): AskRule {
  if (isAdmin(caller)) return 'allowed';
  switch (caller.type) {
    case 'application':
      return settings.dataSegregation ? 'ownParticipant' : 'allowed';
    case 'member':
      return subject.identityId !== undefined && subject.identityId.toLowerCase() === caller.subject.toLowerCase() ? 'allowed' : 'denied';
    case 'contact':
      return subject.contactId !== undefined && subject.contactId === caller.contactId ? 'allowed' : 'denied';
  }
}

/** What the store knows about a subject that matters for the checks. */
export type SubjectFacts =
  | { readonly kind: 'contact'; readonly contactId: number; readonly participantUids: ReadonlySet<string>; readonly isActive?: boolean | undefined }
  | {
      readonly kind: 'identity';
      readonly memberId: number;
      readonly isActive: boolean;
      readonly participantUid?: string | undefined;
      /** See AncestryHint: copies of ancestor lists older than this are not trusted for this subject. */
      readonly reachStamp?: number | undefined;
      /** Copies older than this do not tell the levels (an explained Hierarchy reason's depth and via). */
      readonly levelStamp?: number | undefined;
    };

/** Segregation: a contact associated with the participant, or a member of it. A caller without participant owns none. */
export function subjectOfParticipant(subject: SubjectFacts, participantUid: string | undefined): boolean {
  if (!participantUid) return false;
  const uid = participantUid.toLowerCase();
  return subject.kind === 'contact' ? subject.participantUids.has(uid) : subject.participantUid?.toLowerCase() === uid;
}

export interface GroupAccessFacts {
  readonly contacts: readonly Pick<MembershipLike, 'contactId' | 'systemStatus'>[];
  /** memberId → number of the group's Active contacts the member is directly assigned to. */
  readonly assignees: Readonly<Record<string, number>>;
}

/**
 * SPEC 5.2. A contact has access when it is an Active member of the group; a member identity when it, or a member
 * below it, is directly assigned to at least one Active contact of the group (`hierarchy`: the ancestor lists of the
 * group's assigned members, needed unless the subject is one of them). An inactive member has no access (its
 * identity exists: false, not 404). No group (an entity without link) → no access.
 */
export function hasGroupAccess(subject: SubjectFacts, group: ExplainFacts | undefined, hierarchy: HierarchyFacts = new Map()): boolean {
  return explainGroupAccess(subject, group, hierarchy).hasAccess;
}

/** Why a check answered as it did (SPEC 5.2 Explain). */
export type ReasonCode =
  | 'ActiveMembership'
  | 'DirectAssignment'
  | 'Hierarchy'
  | 'NotAMember'
  | 'MembershipNotActive'
  | 'NoAccessibleContact'
  | 'EntityNotLinked'
  | 'SubjectInactive';

export interface AccessReason {
  readonly code: ReasonCode;
  readonly contactId?: number;
  readonly contactGroupId?: number;
  readonly memberId?: number;
  readonly viaMemberId?: number;
  /** Levels from the subject down to viaMemberId (1 = a direct report). */
  readonly depth?: number;
}

export interface ExplainFacts extends GroupAccessFacts {
  readonly groupId: number;
  /** For each counted member, the group's Active contacts assigned to it (sorted). */
  readonly assigneeContacts?: Readonly<Record<string, readonly number[]>> | undefined;
}

/**
 * The answer of a check with the path that decides it: for a grant, one that really grants it (replaying it against
 * the data gives the same answer); for a denial, the first rule that fails. The same decision as hasGroupAccess.
 */
export function explainGroupAccess(
  subject: SubjectFacts,
  group: ExplainFacts | undefined,
  hierarchy: HierarchyFacts = new Map(),
): { hasAccess: boolean; reason: AccessReason } {
  const deny = (reason: AccessReason) => ({ hasAccess: false, reason });
  if (subject.kind === 'contact') {
    if (subject.isActive === false) return deny({ code: 'SubjectInactive', contactId: subject.contactId });
    if (!group) return deny({ code: 'EntityNotLinked', contactId: subject.contactId });
    const membership = group.contacts.find((m) => m.contactId === subject.contactId);
    const at = { contactId: subject.contactId, contactGroupId: group.groupId };
    if (!membership) return deny({ code: 'NotAMember', ...at });
    if (!isActiveMembership(membership)) return deny({ code: 'MembershipNotActive', ...at });
    return { hasAccess: true, reason: { code: 'ActiveMembership', ...at } };
  }
  const memberId = subject.memberId;
  if (!subject.isActive) return deny({ code: 'SubjectInactive', memberId });
  if (!group) return deny({ code: 'EntityNotLinked', memberId });
  const reached = nearestReached(memberId, countedAssignees(group.assignees), hierarchy);
  if (!reached) return deny({ code: 'NoAccessibleContact', memberId, contactGroupId: group.groupId });
  const contactId = group.assigneeContacts?.[String(reached.viaMemberId)]?.[0];
  const at = { memberId, contactGroupId: group.groupId, ...(contactId !== undefined && { contactId }) };
  if (reached.levels === 0) return { hasAccess: true, reason: { code: 'DirectAssignment', ...at } };
  return { hasAccess: true, reason: { code: 'Hierarchy', ...at, viaMemberId: reached.viaMemberId, depth: reached.levels } };
}

/**
 * SPEC 5.3: who may read a group — a caller that can access at least one of its Active contacts. A member through
 * its reach (itself or a member below it counted on the group); a contact when it is one of them; an application
 * when one of them is accessible to it (`contactAccessible`: its participant's, with data segregation); an admin always.
 */
export function canReadGroup(
  caller: Caller,
  group: { readonly assignees: Readonly<Record<string, number>>; readonly activeContactIds: readonly number[] },
  facts: { readonly reach?: MemberReach | undefined; readonly contactAccessible: (contactId: number) => boolean },
): boolean {
  if (isAdmin(caller)) return true;
  switch (caller.type) {
    case 'member':
      return facts.reach !== undefined && memberReachesGroup(group.assignees, facts.reach);
    case 'contact':
      return group.activeContactIds.includes(caller.contactId);
    case 'application':
      return group.activeContactIds.some(facts.contactAccessible);
  }
}
