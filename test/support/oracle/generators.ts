// The oracle's generators: random worlds (member forests up to depth 10 with deep chains, wide fan-outs, late parents
// and big branches; contacts, assignments, groups, memberships, entity links) and random changes among them.
import fc from 'fast-check';
import { ENTITY_TYPES, type Status } from './model.js';

// ---------------------------------------------------------------- generated worlds and changes

const sel = fc.nat({ max: 10_000 });
const status = fc.constantFrom<Status>('Active', 'Active', 'Active', 'Inactive', 'Archived', 'LeadPendingProcessing', 'Deleted');
const entries = fc.array(fc.record({ c: sel, s: status }), { minLength: 0, maxLength: 6 });
export const change = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('move' as const), m: sel, p: fc.option(sel, { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggleActive' as const), m: sel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reidentify' as const), m: sel }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteMember' as const), m: sel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addMember' as const), p: fc.option(sel, { freq: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('assign' as const), c: sel, ms: fc.array(sel, { maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unassign' as const), c: sel, m: sel }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('modifyGroup' as const), g: sel, entries }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('setStatus' as const), g: sel, c: sel, s: status }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createGroup' as const), entries }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteGroup' as const), g: sel }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('link' as const), e: sel, g: sel }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unlink' as const), e: sel }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteContact' as const), c: sel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recreateContact' as const), c: sel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addParticipant' as const), c: sel, p: fc.constantFrom(0, 1) }) },
  // Reorganisations of the big branch (when the world has one): more than one transaction's worth of members moves.
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('moveBranch' as const), p: fc.option(sel, { freq: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteBranchHead' as const) }) },
);
export type Change = typeof change extends fc.Arbitrary<infer C> ? C : never;

export const MAX_MEMBERS = 13;
export const worldSpec = fc.record({
  memberCount: fc.integer({ min: 1, max: MAX_MEMBERS }),
  shape: fc.constantFrom('chain', 'wide', 'random', 'chainThenWide'),
  picks: fc.array(sel, { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
  order: fc.constantFrom('natural', 'reversed', 'shuffled'),
  shuffleKeys: fc.array(sel, { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
  inactive: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
  memberParticipants: fc.array(fc.constantFrom(0, 1), { minLength: MAX_MEMBERS, maxLength: MAX_MEMBERS }),
  contacts: fc.array(fc.record({ participants: fc.subarray([0, 1]), assignees: fc.array(sel, { maxLength: 3 }) }), { minLength: 1, maxLength: 9 }),
  groups: fc.array(fc.array(fc.record({ c: sel, s: status }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
  entities: fc.array(fc.record({ type: fc.constantFrom(...ENTITY_TYPES), g: fc.option(sel, { freq: 5 }) }), { maxLength: 6 }),
  changes: fc.array(change, { maxLength: 14 }),
  /** A branch head with more than 100 advisors below one member of the forest (in about one world in five). */
  bigBranch: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ under: sel, size: fc.integer({ min: 101, max: 115 }) }) },
  ),
});
export type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer S> ? S : never;

/** Declared parent (index) of member index k in the initial forest. */
export function initialParent(spec: WorldSpec, k: number): number | undefined {
  if (k === 0) return undefined;
  switch (spec.shape) {
    case 'chain':
      return k - 1;
    case 'wide':
      return 0;
    case 'chainThenWide':
      return k < 6 ? k - 1 : 5;
    case 'random': {
      const pick = spec.picks[k]! % (k + 1);
      return pick === k ? undefined : pick;
    }
  }
  return undefined;
}
