// Group rules (SPEC 5.3) that do not need the store: ordering, the primary-member rule, active contacts, assignee counts.
import { ACTIVE, PRIMARY_GROUP_MEMBER, type GroupRelationshipType, type SystemStatus } from './catalogues.js';
import type { MemberReach } from './contact-access.js';

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

/**
 * The change of a group's assignee counts when contacts start or stop counting (Active membership):
 * +1 per assigned member of each contact that becomes active, -1 per assigned member of each that stops.
 */
export function assigneeDeltas(
  before: readonly MembershipLike[],
  after: readonly MembershipLike[],
  assigneesOf: (contactId: number) => readonly number[],
): Map<number, number> {
  const wasActive = new Set(activeContactIds(before));
  const isActive = new Set(activeContactIds(after));
  const deltas = new Map<number, number>();
  const bump = (contactId: number, delta: number) => {
    for (const memberId of assigneesOf(contactId)) deltas.set(memberId, (deltas.get(memberId) ?? 0) + delta);
  };
  for (const c of isActive) if (!wasActive.has(c)) bump(c, +1);
  for (const c of wasActive) if (!isActive.has(c)) bump(c, -1);
  for (const [memberId, delta] of deltas) if (delta === 0) deltas.delete(memberId);
  return deltas;
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
 * A member reaches a group when it, or one of its descendants, is assigned to an active contact of the group.
 * `assignees` is the group's count map (memberId → active contacts assigned).
 */
export function memberReachesGroup(assignees: Record<string, number>, reach: MemberReach): boolean {
  for (const [memberId, count] of Object.entries(assignees)) {
    if (count <= 0) continue;
    const id = Number(memberId);
    if (id === reach.memberId || reach.descendantIds.has(id)) return true;
  }
  return false;
}
