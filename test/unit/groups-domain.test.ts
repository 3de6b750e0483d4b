// Group rules without the store: membership input rules, ordering, assignee counts, group reach.
import { describe, expect, it } from 'vitest';
import { applyAssignmentChanges, applyDeltas, assigneeHints, assignmentChanges, memberReachesGroup, normalizeMemberships, renumber, type MembershipLike } from '../../lib/domain/groups.js';
import { RuleViolationError } from '../../lib/domain/errors.js';

const m = (contactId: number, systemStatus: MembershipLike['systemStatus'] = 'Active', order = 0): MembershipLike => ({
  contactId,
  relationshipType: 'GroupMember',
  systemStatus,
  order,
});

describe('normalizeMemberships', () => {
  it('applies defaults and sorts by order, items without one after, in their position', () => {
    const out = normalizeMemberships([{ contactId: 1 }, { contactId: 2, order: 5 }, { contactId: 3 }, { contactId: 4, order: -1 }]);
    expect(out.map((x) => [x.contactId, x.order])).toEqual([[4, 1], [2, 2], [1, 3], [3, 4]]);
    expect(out[0]).toMatchObject({ relationshipType: 'GroupMember', systemStatus: 'Active' });
  });

  it('keeps the membership id of a contact already in the group', () => {
    expect(normalizeMemberships([{ contactId: 1 }], [{ contactId: 1, membershipId: 77 }])[0]?.membershipId).toBe(77);
  });

  it.each([
    ['a duplicate contact', [{ contactId: 1 }, { contactId: 1 }], 'DuplicateContact'],
    ['two primary members', [{ contactId: 1, relationshipType: 'PrimaryGroupMember' }, { contactId: 2, relationshipType: 'PrimaryGroupMember' }], 'MultiplePrimaryGroupMembers'],
    ['an unknown relationship type', [{ contactId: 1, relationshipType: 'Cousin' }], 'UnknownRelationshipType'],
    ['an unknown status', [{ contactId: 1, systemStatus: 'Gone' }], 'UnknownSystemStatus'],
  ])('refuses %s with 422', (_, input, subCode) => {
    expect(() => normalizeMemberships(input)).toThrow(RuleViolationError);
    expect(() => normalizeMemberships(input)).toThrow(expect.objectContaining({ subCode }));
  });

  it('lists the allowed values for an unknown type', () => {
    try {
      normalizeMemberships([{ contactId: 1, relationshipType: 'Cousin' }]);
      expect.unreachable();
    } catch (e) {
      expect((e as RuleViolationError).properties.allowed).toContain('FamilyDependant');
    }
  });

  it('refuses more than 100 contacts', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ contactId: i + 1 }));
    expect(() => normalizeMemberships(many)).toThrow(expect.objectContaining({ subCode: 'GroupFull' }));
  });
});

describe('assignee counts', () => {
  const assignees: Record<number, number[]> = { 1: [10, 11], 2: [11], 3: [12] };
  const of = (c: number) => assignees[c] ?? [];

  it('counts contacts that become active and stop counting, and keeps which contacts each member counts through', () => {
    const changes = assignmentChanges([m(1), m(2, 'Inactive')], [m(1, 'Archived'), m(2), m(3)], of);
    expect(changes).toEqual([
      { memberId: 11, contactId: 2, delta: 1 },
      { memberId: 12, contactId: 3, delta: 1 },
      { memberId: 10, contactId: 1, delta: -1 },
      { memberId: 11, contactId: 1, delta: -1 },
    ]);
    const before = { assignees: { '10': 1, '11': 1 }, assigneeContacts: { '10': [1], '11': [1] } };
    expect(applyAssignmentChanges(before, changes)).toEqual({ assignees: { '11': 1, '12': 1 }, assigneeContacts: { '11': [2], '12': [3] } });
  });

  it('applies deltas and drops members at zero', () => {
    expect(applyDeltas({ '10': 1, '11': 2 }, new Map([[10, -1], [11, -1], [12, 1]]))).toEqual({ '11': 1, '12': 1 });
  });

  it('reaches a group through itself or a member below it, counted on an active contact', () => {
    const counts = { '11': 1, '12': 0 };
    const hierarchy = new Map([[11, [2, 1]], [12, [3, 1]]]);
    expect(memberReachesGroup(counts, { memberId: 11, hierarchy: new Map() })).toBe(true);
    expect(memberReachesGroup(counts, { memberId: 2, hierarchy })).toBe(true);
    expect(memberReachesGroup(counts, { memberId: 1, hierarchy })).toBe(true);
    // 12 hangs below 3, but its count is 0.
    expect(memberReachesGroup(counts, { memberId: 3, hierarchy })).toBe(false);
    expect(memberReachesGroup(counts, { memberId: 2, hierarchy: new Map() })).toBe(false);
  });

  it('renumbers 1..n keeping ties in place', () => {
    expect(renumber([m(1, 'Active', 5), m(2, 'Active', 1), m(3, 'Active', 5)]).map((x) => [x.contactId, x.order])).toEqual([[2, 1], [1, 2], [3, 3]]);
  });
});

describe('assigneeHints', () => {
  it('keeps one copy per counted member, the newest among the kept one and the sources', () => {
    const kept = { '10': { ancestors: [2], hlc: 5 }, '11': { ancestors: [3], hlc: 5 } };
    const source = { '10': { ancestors: [4, 2], hlc: 9 }, '12': { ancestors: [3], hlc: 1 }, '13': { ancestors: [8], hlc: 1 } };
    expect(assigneeHints({ '10': 2, '11': 0, '12': 1 }, kept, [source, undefined])).toEqual({
      '10': { ancestors: [4, 2], hlc: 9 },
      '12': { ancestors: [3], hlc: 1 },
    });
  });
});
