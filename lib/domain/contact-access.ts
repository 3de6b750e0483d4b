// canAccessContact (SPEC 3): deny by default; admin, application (segregation), member (direct or hierarchy), contact (itself).
import { isAdmin, type Caller } from './caller.js';

/** What the store knows about one contact that matters for access. */
export interface ContactAccessFacts {
  readonly contactId: number;
  /** Participants the contact is associated with (lower-case uuids). */
  readonly participantUids: ReadonlySet<string>;
  /** Members directly assigned to the contact. */
  readonly assignedMemberIds: ReadonlySet<number>;
}

/** The member caller's hierarchy: every descendant (direct report, their reports, …) by member id. */
export interface MemberReach {
  readonly memberId: number;
  readonly descendantIds: ReadonlySet<number>;
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
 * Member access: directly assigned, or an ancestor of an assigned member (the assigned member is among the
 * caller's descendants). The reach comes from the member's identity item; without one (member deleted, or the
 * token's member id does not match the identity) the member has no access at all: deny by default.
 */
export function memberAccessReason(
  memberId: number,
  assigned: Iterable<number>,
  reach?: MemberReach,
): 'direct' | 'hierarchy' | undefined {
  if (!reach || reach.memberId !== memberId) return undefined;
  let viaHierarchy = false;
  for (const a of assigned) {
    if (a === memberId) return 'direct';
    if (reach.descendantIds.has(a)) viaHierarchy = true;
  }
  return viaHierarchy ? 'hierarchy' : undefined;
}
