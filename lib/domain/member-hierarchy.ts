// Member hierarchy rules (SPEC 3): one parent each, chains of at most 10 members, no cycles; who is above whom.
//
// Each member stores its live ancestors, nearest first (at most 9). Nothing stores a member's descendants, so no
// item grows with the organisation: "M is above m" is answered from m's own short list, and a check reads the lists
// of the members assigned to the contacts it looks at (see docs/data-model.md).

export const MAX_CHAIN_LENGTH = 10;

/** A member's live ancestors, nearest first: [parent, grandparent, …, root]. */
export type Ancestors = readonly number[];

/** The ancestors of a member attached below `parent` (a live member with its own ancestors). */
export const ancestorsBelow = (parent: { readonly memberId: number; readonly ancestors: Ancestors }): number[] => [
  parent.memberId,
  ...parent.ancestors,
];

export type HierarchyViolation =
  | { kind: 'cycle'; memberId: number; parentMemberId: number }
  | { kind: 'depth'; memberId: number; chainLength: number };

/**
 * Validates attaching `memberId`, with a subtree of the given height (0 for a leaf), below a chain whose ancestors
 * (nearest first, starting with the new parent) are `ancestors`. A chain that passes through the member is a cycle.
 */
export function checkAttach(input: {
  memberId: number;
  parentMemberId: number | undefined;
  ancestors: Ancestors;
  height: number;
}): HierarchyViolation | undefined {
  const { memberId, parentMemberId, ancestors, height } = input;
  if (parentMemberId !== undefined && (parentMemberId === memberId || ancestors.includes(memberId))) {
    return { kind: 'cycle', memberId, parentMemberId };
  }
  const chainLength = ancestors.length + 1 + height;
  if (chainLength > MAX_CHAIN_LENGTH) return { kind: 'depth', memberId, chainLength };
  return undefined;
}

/**
 * Levels from `subjectId` down to `memberId`: 0 when they are the same member, k when the subject is the k-th
 * ancestor (1 = the parent), undefined when the subject is not above the member.
 */
export function levelsAbove(subjectId: number, memberId: number, ancestors: Ancestors | undefined): number | undefined {
  if (subjectId === memberId) return 0;
  const index = ancestors?.indexOf(subjectId) ?? -1;
  return index < 0 ? undefined : index + 1;
}

/** Live members' ancestor lists by member id; a member absent from it (unknown or deleted) passes no access up. */
export type HierarchyFacts = ReadonlyMap<number, Ancestors>;

/**
 * The nearest member through which `subjectId` reaches one of `assigned`: itself (levels 0) or the assigned member it
 * is the closest ancestor of (ties to the smallest id). Undefined when it reaches none.
 */
export function nearestReached(
  subjectId: number,
  assigned: Iterable<number>,
  hierarchy: HierarchyFacts,
): { viaMemberId: number; levels: number } | undefined {
  let best: { viaMemberId: number; levels: number } | undefined;
  for (const memberId of assigned) {
    const levels = memberId === subjectId ? 0 : hierarchy.has(memberId) ? levelsAbove(subjectId, memberId, hierarchy.get(memberId)) : undefined;
    if (levels === undefined) continue;
    if (!best || levels < best.levels || (levels === best.levels && memberId < best.viaMemberId)) best = { viaMemberId: memberId, levels };
  }
  return best;
}

/**
 * Whether `found` — the nearest reached among the assigned members whose lists are known — is the nearest among all
 * of them, so that an answer may name it (an explained reason's depth and via, a lookup's viaMemberId). A member whose
 * list is unknown is at least one level away and, at the same level, wins with a smaller id. Access alone is decided
 * by any reach; naming the nearest needs this.
 */
export function nearestIsSettled(found: { viaMemberId: number; levels: number } | undefined, unknown: readonly number[]): boolean {
  if (!found) return false;
  if (found.levels === 0 || unknown.length === 0) return true;
  return found.levels === 1 && unknown.every((m) => m > found.viaMemberId);
}

/**
 * An assigned member's ancestor list as a writer copied it beside an assignment (on the contact's links and the
 * group), with the member's logical time (`hlc`) when it was read. Reorganisations do not rewrite these copies
 * (that would touch every assignment of every moved member); instead they stamp every member whose set of
 * descendants changes with a logical time later than any list they change. A copy newer than the subject's stamp is
 * exact for that subject; an older one is not used (the list itself is read).
 */
export interface AncestryHint {
  readonly ancestors: readonly number[];
  readonly hlc: number;
}

/** Whether a copied list can decide for a subject with the given reach stamp (none: never stamped). */
export const hintHolds = (hint: AncestryHint | undefined, reachStamp: number | undefined): hint is AncestryHint =>
  hint !== undefined && hint.hlc > (reachStamp ?? 0);

/**
 * The members whose position relative to a moved subtree changes: ancestors of its old place that are not above
 * its new place, and the other way round. Only these are stamped by the move.
 */
export function ancestorsChanged(before: Ancestors, after: Ancestors): number[] {
  const old = new Set(before);
  const now = new Set(after);
  return [...before.filter((a) => !now.has(a)), ...after.filter((a) => !old.has(a))];
}

/**
 * What copied lists decide for a subject: the lists of the given members that hold for it, and the members whose
 * list must be read (no copy, or one older than the subject's reach stamp).
 */
export function hintedHierarchy(
  memberIds: Iterable<number>,
  hints: Readonly<Record<string, AncestryHint>> | undefined,
  reachStamp: number | undefined,
): { facts: Map<number, Ancestors>; missing: number[] } {
  const facts = new Map<number, Ancestors>();
  const missing: number[] = [];
  for (const memberId of memberIds) {
    const hint = hints?.[String(memberId)];
    if (hintHolds(hint, reachStamp)) facts.set(memberId, hint.ancestors);
    else missing.push(memberId);
  }
  return { facts, missing };
}
