// Closure arithmetic of the member hierarchy: attach rules (cycles, 10-member chains), moves and deletions.
import { describe, expect, it } from 'vitest';
import {
  checkAttach,
  closureFromChildren,
  closureFromMap,
  closureToMap,
  heightOf,
  subtreeOf,
  withMemberRemoved,
  withSubtree,
  withoutSubtree,
} from '../../lib/domain/member-hierarchy.js';

const closure = (entries: Record<number, number>) => new Map(Object.entries(entries).map(([k, v]) => [Number(k), v]));

describe('checkAttach', () => {
  it('accepts a chain of exactly 10 members', () => {
    // 6 ancestors + the member + a subtree 3 deep = 10
    expect(checkAttach({ memberId: 7, closure: closure({ 8: 1, 9: 2, 10: 3 }), parentMemberId: 6, ancestorCount: 6 })).toBeUndefined();
  });

  it('rejects an 11th level', () => {
    expect(checkAttach({ memberId: 7, closure: closure({ 8: 1, 9: 2, 10: 3 }), parentMemberId: 6, ancestorCount: 7 })).toEqual({
      kind: 'depth',
      memberId: 7,
      chainLength: 11,
    });
  });

  it('rejects a member as its own parent and a descendant as parent', () => {
    expect(checkAttach({ memberId: 1, closure: closure({}), parentMemberId: 1, ancestorCount: 0 })?.kind).toBe('cycle');
    expect(checkAttach({ memberId: 1, closure: closure({ 2: 1, 3: 2 }), parentMemberId: 3, ancestorCount: 2 })?.kind).toBe('cycle');
  });

  it('accepts a root (no parent)', () => {
    expect(checkAttach({ memberId: 1, closure: closure({ 2: 1 }), parentMemberId: undefined, ancestorCount: 0 })).toBeUndefined();
  });
});

describe('closure updates', () => {
  it('adds a subtree below an ancestor at its distance, and removes it again', () => {
    const subtree = subtreeOf(5, closure({ 6: 1, 7: 2 }));
    const grandparent = closure({ 2: 1 });
    const added = withSubtree(grandparent, subtree, 2);
    expect(closureToMap(added)).toEqual({ '2': 1, '5': 2, '6': 3, '7': 4 });
    expect(closureToMap(withoutSubtree(added, subtree))).toEqual({ '2': 1 });
  });

  it('moves the children of a deleted member one level up', () => {
    const root = closure({ 2: 1, 3: 2, 4: 3 });
    expect(closureToMap(withMemberRemoved(root, 2, closure({ 3: 1, 4: 2 })))).toEqual({ '3': 1, '4': 2 });
  });

  it('builds a late parent\'s closure from its children', () => {
    expect(closureToMap(closureFromChildren(new Map([[2, closure({ 4: 1 })], [3, closure({})]])))).toEqual({ '2': 1, '3': 1, '4': 2 });
  });

  it('measures height and round-trips the stored map', () => {
    expect(heightOf(closure({}))).toBe(0);
    expect(heightOf(closure({ 2: 1, 3: 4 }))).toBe(4);
    expect(closureFromMap({ '12': 3 })).toEqual(new Map([[12, 3]]));
    expect(closureFromMap(undefined).size).toBe(0);
  });
});
