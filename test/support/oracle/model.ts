// The oracle's raw world and its brute-force evaluator: what every access check, explained reason and lookup must
// answer, computed from the world description kept in the test (never read from the store).
import type { Caller } from '../../../lib/domain/caller.js';
import type { AccessReason } from '../../../lib/domain/group-access.js';

export const MAX_CHAIN = 10;
export const P = ['40000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000002'] as const;
export const STATUSES = ['Active', 'Inactive', 'Archived', 'LeadPendingProcessing', 'Deleted'] as const;
export const ENTITY_TYPES = ['Account', 'LegalEntity', 'Portfolio', 'PortfolioProposal'] as const;
export type Status = (typeof STATUSES)[number];
export const UNKNOWN_ID = 2_000_000_000;
export const now = '2026-01-01T00:00:00.000Z';
export const ADMIN: Caller = { type: 'application', subject: 'oracle-admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };

// ---------------------------------------------------------------- the raw world and the brute-force evaluator

export interface MemberModel {
  id: number;
  /** Declared parent, as sent in the last applied event (may be deleted or not known yet). */
  parent: number | undefined;
  identity: string;
  active: boolean;
  participant: string;
  deleted: boolean;
}
export interface ContactModel {
  uid: string;
  version: number;
  id: number | undefined;
  participants: Set<string>;
  assignees: Set<number>;
}
export interface GroupModel {
  id: number;
  /** contactId → status, in membership order. */
  contacts: Map<number, Status>;
  deleted: boolean;
}
export interface EntityModel {
  type: (typeof ENTITY_TYPES)[number];
  id: number;
  version: number;
  group: number | null;
}

export class World {
  members = new Map<number, MemberModel>();
  memberVersions = new Map<number, number>();
  contacts: ContactModel[] = [];
  groups = new Map<number, GroupModel>();
  entities: EntityModel[] = [];
  /** Every id a check may name, also of objects gone or never created. */
  contactIds = new Set<number>([UNKNOWN_ID]);
  identities = new Set<string>();
  groupIds = new Set<number>([UNKNOWN_ID]);

  liveMembers = () => [...this.members.values()].filter((m) => !m.deleted).sort((a, b) => a.id - b.id);
  liveContacts = () => this.contacts.filter((c) => c.id !== undefined);
  liveGroups = () => [...this.groups.values()].filter((g) => !g.deleted);
  contactById = (id: number) => this.contacts.find((c) => c.id === id);
}

/** Live ancestors of a member, nearest first: declared parents are followed, deleted ones passed through, an unknown one ends the chain. */
export function ancestorsOf(members: ReadonlyMap<number, MemberModel>, id: number): number[] | 'cycle' {
  const out: number[] = [];
  const seen = new Set([id]);
  let p = members.get(id)!.parent;
  while (p !== undefined) {
    if (seen.has(p)) return 'cycle';
    seen.add(p);
    const m = members.get(p);
    if (!m) break;
    if (!m.deleted) out.push(p);
    p = m.parent;
  }
  return out;
}

/** SPEC 3: one parent each, no cycles, chains of at most 10 members. */
export function forestValid(members: ReadonlyMap<number, MemberModel>): boolean {
  for (const m of members.values()) {
    if (m.deleted) continue;
    const chain = ancestorsOf(members, m.id);
    if (chain === 'cycle' || chain.length + 1 > MAX_CHAIN) return false;
  }
  return true;
}

/** The member itself and every live member below it. */
export function reachOf(w: World, memberId: number): Set<number> {
  const reach = new Set([memberId]);
  for (const m of w.liveMembers()) {
    const chain = ancestorsOf(w.members, m.id);
    if (chain !== 'cycle' && chain.includes(memberId)) reach.add(m.id);
  }
  return reach;
}

export type Subject = { contactId: number } | { identityId: string };
export type Target = { contactGroupId: number } | { entityType: EntityModel['type']; entityId: number };

export const memberOfIdentity = (w: World, identity: string) => w.liveMembers().find((m) => m.identity === identity);
export const subjectExists = (w: World, s: Subject) => ('contactId' in s ? w.contactById(s.contactId) !== undefined : memberOfIdentity(w, s.identityId) !== undefined);
export const liveGroup = (w: World, id: number | null | undefined) => (id == null ? undefined : w.liveGroups().find((g) => g.id === id));

export function targetGroup(w: World, t: Target): GroupModel | undefined {
  if ('contactGroupId' in t) return liveGroup(w, t.contactGroupId);
  return liveGroup(w, w.entities.find((e) => e.type === t.entityType && e.id === t.entityId)?.group);
}

/** SPEC 5.2 from the raw world: undefined when the subject does not exist. */
export function expectedAccess(w: World, s: Subject, t: Target): boolean | undefined {
  if (!subjectExists(w, s)) return undefined;
  const group = targetGroup(w, t);
  if (!group) return false;
  if ('contactId' in s) return group.contacts.get(s.contactId) === 'Active';
  const member = memberOfIdentity(w, s.identityId)!;
  if (!member.active) return false;
  const reach = reachOf(w, member.id);
  return [...group.contacts].some(([contactId, status]) => status === 'Active' && [...w.contactById(contactId)!.assignees].some((a) => reach.has(a)));
}

/**
 * What a reason claims, checked against the raw world (never the store): a grant's path really grants (the contact
 * Active in the group; the member assigned to it, or `depth` levels above the member assigned to it); a denial's
 * rule really fails. Returns the answer the reason implies, or undefined when its claim is false.
 */
export function replay(w: World, s: Subject, t: Target, reason: AccessReason): boolean | undefined {
  const group = targetGroup(w, t);
  const groupId = group?.id;
  const activeIn = (contactId: number | undefined) => contactId !== undefined && group?.contacts.get(contactId) === 'Active';
  const member = 'identityId' in s ? memberOfIdentity(w, s.identityId) : undefined;
  const assigned = (m: number | undefined, contactId: number | undefined) => m !== undefined && contactId !== undefined && w.contactById(contactId)?.assignees.has(m) === true;
  switch (reason.code) {
    case 'ActiveMembership':
      return 'contactId' in s && reason.contactId === s.contactId && reason.contactGroupId === groupId && activeIn(s.contactId) ? true : undefined;
    case 'DirectAssignment':
      return member?.active && reason.memberId === member.id && reason.contactGroupId === groupId && activeIn(reason.contactId) && assigned(member.id, reason.contactId) ? true : undefined;
    case 'Hierarchy': {
      if (!member?.active || reason.memberId !== member.id || reason.contactGroupId !== groupId || reason.viaMemberId === undefined || reason.depth === undefined) return undefined;
      const via = w.members.get(reason.viaMemberId);
      const chain = via && !via.deleted ? ancestorsOf(w.members, via.id) : 'cycle';
      const above = chain !== 'cycle' && chain[reason.depth - 1] === member.id;
      return above && activeIn(reason.contactId) && assigned(reason.viaMemberId, reason.contactId) ? true : undefined;
    }
    // A group id that names no live group holds nobody (inside a batch it answers false, not 404).
    case 'NotAMember':
      return 'contactId' in s && (group !== undefined || 'contactGroupId' in t) && !group?.contacts.has(s.contactId) ? false : undefined;
    case 'MembershipNotActive':
      return 'contactId' in s && group?.contacts.has(s.contactId) && !activeIn(s.contactId) ? false : undefined;
    case 'NoAccessibleContact':
      return 'identityId' in s && (group !== undefined || 'contactGroupId' in t) && expectedAccess(w, s, t) !== true ? false : undefined;
    case 'EntityNotLinked':
      return !('contactGroupId' in t) && group === undefined ? false : undefined;
    case 'SubjectInactive':
      return member !== undefined && !member.active ? false : undefined;
  }
}

export type CallerKind = 'admin' | 'segregated' | 'self' | 'other';
/** The outcome of a single check for a caller kind: 'true' | 'false' | '<status> <subCode>'. */
export function expectedSingle(w: World, kind: CallerKind, s: Subject, t: Target): string {
  if (kind === 'other') return '403 SubjectNotAllowed';
  if (!subjectExists(w, s)) return 'contactId' in s ? '404 ContactNotFound' : '404 IdentityNotFound';
  if (kind === 'segregated') {
    const owned = 'contactId' in s ? w.contactById(s.contactId)!.participants.has(P[0]) : memberOfIdentity(w, s.identityId)!.participant === P[0];
    if (!owned) return '403 SubjectNotAllowed';
  }
  if ('contactGroupId' in t && !liveGroup(w, t.contactGroupId)) return '404 GroupNotFound';
  return String(expectedAccess(w, s, t));
}

export function callerFor(kind: CallerKind, s: Subject): Caller {
  const scopes = new Set(['crs.read']);
  switch (kind) {
    case 'admin':
      return ADMIN;
    case 'segregated':
      return { type: 'application', subject: 'oracle-app', participantUid: P[0], scopes };
    case 'self':
      return 'contactId' in s
        ? { type: 'contact', subject: 'oracle-contact', contactId: s.contactId, scopes }
        : { type: 'member', subject: s.identityId, memberId: 1, scopes };
    case 'other':
      return 'contactId' in s
        ? { type: 'contact', subject: 'oracle-contact', contactId: s.contactId + 1, scopes }
        : { type: 'member', subject: '00000000-0000-4000-8000-00000000abcd', memberId: 1, scopes };
  }
}


/** What a lookup of a live, active member must return, from the raw world. */
export function expectedReach(w: World, member: MemberModel) {
  if (!member.active) return { contacts: [], groups: [] as number[] };
  const levelsTo = (m: number) => {
    if (m === member.id) return 0;
    const chain = ancestorsOf(w.members, m);
    const i = chain === 'cycle' ? -1 : chain.indexOf(member.id);
    return i < 0 ? undefined : i + 1;
  };
  const contacts = w
    .liveContacts()
    .flatMap((c) => {
      const reached = [...c.assignees]
        .filter((m) => !w.members.get(m)?.deleted)
        .map((m) => ({ m, levels: levelsTo(m) }))
        .filter((x): x is { m: number; levels: number } => x.levels !== undefined)
        .sort((a, b) => a.levels - b.levels || a.m - b.m)[0];
      if (!reached) return [];
      return [{ contactId: c.id!, contactUid: c.uid, accessType: reached.levels === 0 ? 'Direct' : 'Hierarchy', viaMemberId: reached.levels === 0 ? null : reached.m }];
    })
    .sort((a, b) => a.contactId - b.contactId);
  const reach = reachOf(w, member.id);
  const groups = w
    .liveGroups()
    .filter((g) => [...g.contacts].some(([contactId, status]) => status === 'Active' && [...w.contactById(contactId)!.assignees].some((a) => reach.has(a))))
    .map((g) => g.id)
    .sort((a, b) => a - b);
  return { contacts, groups };
}
