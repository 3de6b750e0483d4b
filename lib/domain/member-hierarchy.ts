// Member hierarchy rules (SPEC 3): one parent each, chains of at most 10 members, no cycles; closure arithmetic.
//
// Each member's identity item stores its closure: every descendant with its distance. Moving a member rewrites
// only the closures of its old and new ancestors (at most 9 each), never the subtree: the cost of a move is
// bounded by the depth, not by the size of the subtree.

export const MAX_CHAIN_LENGTH = 10;

/** descendant memberId → distance (1 = direct child). */
export type Closure = ReadonlyMap<number, number>;

export const closureFromMap = (map: Record<string, number> | undefined): Map<number, number> =>
  new Map(Object.entries(map ?? {}).map(([id, distance]) => [Number(id), distance]));

export const closureToMap = (closure: Closure): Record<string, number> =>
  Object.fromEntries([...closure.entries()].sort(([a], [b]) => a - b).map(([id, d]) => [String(id), d]));

/** Height of a subtree: the distance to its deepest descendant (0 for a leaf). */
export const heightOf = (closure: Closure) => Math.max(0, ...closure.values());

/** The subtree rooted at `memberId`, with distances relative to it (the root itself at 0). */
export function subtreeOf(memberId: number, closure: Closure): Map<number, number> {
  return new Map([[memberId, 0], ...closure.entries()]);
}

export type HierarchyViolation =
  | { kind: 'cycle'; memberId: number; parentMemberId: number }
  | { kind: 'depth'; memberId: number; chainLength: number };

/**
 * Validates attaching the subtree of `memberId` (its closure) below a chain of `ancestorCount` live ancestors,
 * the first of which is `parentMemberId`.
 */
export function checkAttach(input: {
  memberId: number;
  closure: Closure;
  parentMemberId: number | undefined;
  ancestorCount: number;
}): HierarchyViolation | undefined {
  const { memberId, closure, parentMemberId, ancestorCount } = input;
  if (parentMemberId !== undefined && (parentMemberId === memberId || closure.has(parentMemberId))) {
    return { kind: 'cycle', memberId, parentMemberId };
  }
  const chainLength = ancestorCount + 1 + heightOf(closure);
  if (chainLength > MAX_CHAIN_LENGTH) return { kind: 'depth', memberId, chainLength };
  return undefined;
}

/** Closure of an ancestor at `distance` above the subtree root, with the subtree added. */
export function withSubtree(ancestor: Closure, subtree: ReadonlyMap<number, number>, distance: number): Map<number, number> {
  const next = new Map(ancestor);
  for (const [id, relative] of subtree) next.set(id, distance + relative);
  return next;
}

/** Closure of an ancestor with the subtree removed. */
export function withoutSubtree(ancestor: Closure, subtree: ReadonlyMap<number, number>): Map<number, number> {
  const next = new Map(ancestor);
  for (const id of subtree.keys()) next.delete(id);
  return next;
}

/** Closure of an ancestor after `memberId` (with `closure` below it) is deleted and its children move up one level. */
export function withMemberRemoved(ancestor: Closure, memberId: number, closure: Closure): Map<number, number> {
  const next = new Map(ancestor);
  next.delete(memberId);
  for (const id of closure.keys()) {
    const d = next.get(id);
    if (d !== undefined) next.set(id, d - 1);
  }
  return next;
}

/** Closure of a member computed from its children's closures (used when a parent arrives after its children). */
export function closureFromChildren(children: ReadonlyMap<number, Closure>): Map<number, number> {
  const closure = new Map<number, number>();
  for (const [childId, childClosure] of children) {
    closure.set(childId, 1);
    for (const [id, d] of childClosure) closure.set(id, d + 1);
  }
  return closure;
}
