// Group rules (SPEC 5.3) that do not need the store: ordering, the primary-member rule, active contacts, assignee counts.
import { ACTIVE, PRIMARY_GROUP_MEMBER, type GroupRelationshipType, type SystemStatus } from './catalogues.js';
import {
  DEFAULT_GROUP_RELATIONSHIP_TYPE,
  GROUP_RELATIONSHIP_TYPE_NAMES,
  SYSTEM_STATUS_NAMES,
  findGroupRelationshipType,
  findSystemStatus,
} from './catalogues.js';
import { RuleViolationError } from './errors.js';
import type { MemberReach } from './contact-access.js';
import { nearestReached, type AncestryHint } from './member-hierarchy.js';

export const MAX_GROUP_CONTACTS = 100;

export interface MembershipLike {
  contactId: number;
  relationshipType: GroupRelationshipType;
  systemStatus: SystemStatus;
  order: number;
}

/** Sorted by order, renumbered 1..n (ties keep their position). */
export function renumber<M extends MembershipLike>(memberships: readonly M[]): M[] {
  return memberships
    .map((m, index) => ({ m, index }))
    .sort((a, b) => a.m.order - b.m.order || a.index - b.index)
    .map(({ m }, i) => ({ ...m, order: i + 1 }));
}

export const isActiveMembership = (m: { systemStatus: SystemStatus }) => m.systemStatus === ACTIVE;

export const activeContactIds = (memberships: readonly MembershipLike[]) =>
  memberships.filter(isActiveMembership).map((m) => m.contactId);

export const primaryCount = (memberships: readonly { relationshipType: GroupRelationshipType }[]) =>
  memberships.filter((m) => m.relationshipType === PRIMARY_GROUP_MEMBER).length;

/** One assigned member of one contact starting (+1) or stopping (-1) to count for a group. */
export interface AssignmentChange {
  memberId: number;
  contactId: number;
  delta: 1 | -1;
}

/** The assignment changes when contacts start or stop counting (Active membership), contact by contact. */
export function assignmentChanges(
  before: readonly MembershipLike[],
  after: readonly MembershipLike[],
  assigneesOf: (contactId: number) => readonly number[],
): AssignmentChange[] {
  const wasActive = new Set(activeContactIds(before));
  const isActive = new Set(activeContactIds(after));
  const out: AssignmentChange[] = [];
  for (const c of isActive) if (!wasActive.has(c)) for (const m of assigneesOf(c)) out.push({ memberId: m, contactId: c, delta: 1 });
  for (const c of wasActive) if (!isActive.has(c)) for (const m of assigneesOf(c)) out.push({ memberId: m, contactId: c, delta: -1 });
  return out;
}

/**
 * A group's access data after assignment changes: the counts (memberId → Active contacts assigned) and, for each
 * counted member, those contacts (sorted) — what an explained check names without reading the contacts.
 */
export function applyAssignmentChanges(
  group: { assignees: Record<string, number>; assigneeContacts?: Record<string, number[]> | undefined },
  changes: readonly AssignmentChange[],
): { assignees: Record<string, number>; assigneeContacts: Record<string, number[]> } {
  const deltas = new Map<number, number>();
  for (const c of changes) deltas.set(c.memberId, (deltas.get(c.memberId) ?? 0) + c.delta);
  const assignees = applyDeltas(group.assignees, deltas);
  const lists = new Map(Object.entries(group.assigneeContacts ?? {}).map(([m, list]) => [m, new Set(list)]));
  for (const c of changes) {
    const key = String(c.memberId);
    const list = lists.get(key) ?? new Set<number>();
    if (c.delta > 0) list.add(c.contactId);
    else list.delete(c.contactId);
    lists.set(key, list);
  }
  const assigneeContacts: Record<string, number[]> = {};
  for (const [m, list] of lists) if (list.size > 0 && (assignees[m] ?? 0) > 0) assigneeContacts[m] = [...list].sort((a, b) => a - b);
  return { assignees, assigneeContacts };
}

/** Applies deltas to assignee counts, dropping members that reach zero. */
export function applyDeltas(counts: Record<string, number>, deltas: ReadonlyMap<number, number>): Record<string, number> {
  const next: Record<string, number> = { ...counts };
  for (const [memberId, delta] of deltas) {
    const value = (next[String(memberId)] ?? 0) + delta;
    if (value > 0) next[String(memberId)] = value;
    else delete next[String(memberId)];
  }
  return next;
}

/**
 * The copied ancestor lists a group keeps: one per counted member, the newest among what it kept and the sources
 * (the links of the contacts that changed, or the members just assigned). Members no longer counted lose theirs.
 */
export function assigneeHints(
  counts: Record<string, number>,
  previous: Readonly<Record<string, AncestryHint>> | undefined,
  sources: Iterable<Readonly<Record<string, AncestryHint>> | undefined>,
): Record<string, AncestryHint> {
  const all = [previous, ...sources];
  const out: Record<string, AncestryHint> = {};
  for (const [memberId, count] of Object.entries(counts)) {
    if (count <= 0) continue;
    for (const source of all) {
      const hint = source?.[memberId];
      if (hint && (out[memberId] === undefined || hint.hlc > out[memberId].hlc)) out[memberId] = hint;
    }
  }
  return out;
}

/** Members counted on a group's active contacts (memberId → active contacts assigned, zero counts left out). */
export const countedAssignees = (assignees: Record<string, number>): number[] =>
  Object.entries(assignees).flatMap(([memberId, count]) => (count > 0 ? [Number(memberId)] : []));

/**
 * A member reaches a group when it, or a member below it, is assigned to an active contact of the group.
 * `assignees` is the group's count map (memberId → active contacts assigned); the reach carries the ancestor lists
 * of those members.
 */
export function memberReachesGroup(assignees: Record<string, number>, reach: MemberReach): boolean {
  return nearestReached(reach.memberId, countedAssignees(assignees), reach.hierarchy) !== undefined;
}

// ---- membership input rules (SPEC 5.3) ----

export interface MembershipInput {
  contactId: number;
  relationshipType?: string | null | undefined;
  systemStatus?: string | null | undefined;
  order?: number | null | undefined;
}

export interface MembershipDraft extends MembershipLike {
  /** Kept for contacts already in the group; allocated for new ones. */
  membershipId?: number;
}

/**
 * Input list → the memberships it describes: defaults applied as SPEC 5.3 states them (GroupMember, Active — also
 * for a contact already in the group: the list replaces the set), catalogue values checked, no contact twice, at most one primary, at most 100,
 * sorted by `order` (items without one keep their position after those with one) and renumbered 1..n.
 */
export function normalizeMemberships(
  input: readonly MembershipInput[],
  existing: readonly { contactId: number; membershipId?: number }[] = [],
): MembershipDraft[] {
  const seen = new Set<number>();
  const duplicates = new Set<number>();
  for (const item of input) {
    if (seen.has(item.contactId)) duplicates.add(item.contactId);
    seen.add(item.contactId);
  }
  if (duplicates.size > 0) throw new RuleViolationError('DuplicateContact', { ids: [...duplicates] });
  if (input.length > MAX_GROUP_CONTACTS) throw new RuleViolationError('GroupFull', { max: MAX_GROUP_CONTACTS });

  const unknownTypes = input.map((i) => i.relationshipType).filter((t): t is string => t != null && !findGroupRelationshipType(t));
  if (unknownTypes.length > 0) {
    throw new RuleViolationError('UnknownRelationshipType', { values: unknownTypes, allowed: GROUP_RELATIONSHIP_TYPE_NAMES });
  }
  const unknownStatuses = input.map((i) => i.systemStatus).filter((s): s is string => s != null && !findSystemStatus(s));
  if (unknownStatuses.length > 0) {
    throw new RuleViolationError('UnknownSystemStatus', { values: unknownStatuses, allowed: SYSTEM_STATUS_NAMES });
  }

  const previous = new Map(existing.map((m) => [m.contactId, m]));
  const drafts = input.map((item, index) => {
    const before = previous.get(item.contactId);
    return {
      draft: {
        contactId: item.contactId,
        relationshipType: (item.relationshipType ?? DEFAULT_GROUP_RELATIONSHIP_TYPE) as MembershipLike['relationshipType'],
        systemStatus: (item.systemStatus ?? ACTIVE) as MembershipLike['systemStatus'],
        order: 0,
        ...(before?.membershipId !== undefined && { membershipId: before.membershipId }),
      } satisfies MembershipDraft,
      order: item.order ?? undefined,
      index,
    };
  });
  if (primaryCount(drafts.map((d) => d.draft)) > 1) throw new RuleViolationError('MultiplePrimaryGroupMembers');

  const withOrder = drafts.filter((d) => d.order !== undefined).sort((a, b) => a.order! - b.order! || a.index - b.index);
  const withoutOrder = drafts.filter((d) => d.order === undefined);
  return [...withOrder, ...withoutOrder].map((d, i) => ({ ...d.draft, order: i + 1 }));
}
