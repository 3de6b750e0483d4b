// canAccessContact (SPEC 3): deny by default; admin, application (segregation), member (direct or hierarchy), contact (itself).
import { isAdmin, type Caller } from './caller.js';
import { nearestReached, type HierarchyFacts } from './member-hierarchy.js';

/** What the store knows about one contact that matters for access. */
export interface ContactAccessFacts {
  readonly contactId: number;
  /** Participants the contact is associated with (lower-case uuids). */
  readonly participantUids: ReadonlySet<string>;
  /** Members directly assigned to the contact. */
  readonly assignedMemberIds: ReadonlySet<number>;
}

/**
 * What decides a member's reach over some contacts: its own id (its identity is live and active) and the ancestor
 * lists of the members assigned to those contacts (it reaches a contact assigned to itself or to a member below it).
 */
export interface MemberReach {
  readonly memberId: number;
  readonly hierarchy: HierarchyFacts;
}

export interface AccessSettings {
  readonly dataSegregation: boolean;
}

export type AccessReason = 'admin' | 'application' | 'participant' | 'direct' | 'hierarchy' | 'self';

/** The reason access is granted, or undefined when it is not. */
export function contactAccessReason(
  caller: Caller,
  contact: ContactAccessFacts,
  settings: AccessSettings,
  reach?: MemberReach,
): AccessReason | undefined {
  if (isAdmin(caller)) return 'admin';
  switch (caller.type) {
    case 'application':
      if (!settings.dataSegregation) return 'application';
      return caller.participantUid && contact.participantUids.has(caller.participantUid) ? 'participant' : undefined;
    case 'member':
      return memberAccessReason(caller.memberId, contact.assignedMemberIds, reach);
    case 'contact':
      return caller.contactId === contact.contactId ? 'self' : undefined;
  }
}

export function canAccessContact(
  caller: Caller,
  contact: ContactAccessFacts,
  settings: AccessSettings,
  reach?: MemberReach,
): boolean {
  return contactAccessReason(caller, contact, settings, reach) !== undefined;
}

/**
 * Member access: directly assigned, or an ancestor of an assigned member (the member is in the assigned member's
 * ancestor list). Without a reach (identity missing, inactive, or not this member's) the member has no access at
 * all: deny by default.
 */
export function memberAccessReason(
  memberId: number,
  assigned: Iterable<number>,
  reach?: MemberReach,
): 'direct' | 'hierarchy' | undefined {
  if (!reach || reach.memberId !== memberId) return undefined;
  const reached = nearestReached(memberId, assigned, reach.hierarchy);
  if (!reached) return undefined;
  return reached.levels === 0 ? 'direct' : 'hierarchy';
}
