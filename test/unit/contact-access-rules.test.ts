// Pure rules of lib/domain/member-access.ts: member access through the hierarchy, the segregation rule, advisor order.
import { describe, expect, it } from 'vitest';
import { advisorOrder, memberAccessOf, participantMismatches } from '../../lib/domain/member-access.js';
import type { MemberItem } from '../../lib/store/items.js';

const P1 = '11111111-1111-4111-8111-111111111111';

function m(memberId: number, extra: Partial<MemberItem> = {}): MemberItem {
  return {
    pk: `MEMBER#${memberId}`, sk: 'MEMBER', type: 'Member', memberId, identityId: `id-${memberId}`,
    isActive: true, hasPicture: false, version: 1, updatedAt: '', ...extra,
  };
}
const mapOf = (...items: MemberItem[]) => new Map(items.map((i) => [i.memberId, i]));
const summary = (entries: ReturnType<typeof memberAccessOf>) => entries.map((e) => `${e.memberId}:${e.accessType}:${e.viaMemberId ?? '-'}`);

describe('memberAccessOf', () => {
  // 1 → 2 → {4, 5}; 1 → 3 → 6 (each member carries its ancestors, nearest first)
  const tree = mapOf(
    m(1, { ancestors: [] }),
    m(2, { parentMemberId: 1, ancestors: [1] }),
    m(3, { parentMemberId: 1, ancestors: [1] }),
    m(4, { parentMemberId: 2, ancestors: [2, 1] }),
    m(5, { parentMemberId: 2, ancestors: [2, 1] }),
    m(6, { parentMemberId: 3, ancestors: [3, 1] }),
  );

  it('lists Direct first, then every ancestor via the nearest assigned member (ties: smallest id)', () => {
    expect(summary(memberAccessOf([5, 4], tree))).toEqual(['4:Direct:-', '5:Direct:-', '1:Hierarchy:4', '2:Hierarchy:4']);
    expect(summary(memberAccessOf([6, 4], tree))).toEqual(['4:Direct:-', '6:Direct:-', '1:Hierarchy:4', '2:Hierarchy:4', '3:Hierarchy:6']);
  });

  it('keeps an assigned ancestor Direct and takes the nearer source above it', () => {
    expect(summary(memberAccessOf([4, 2], tree))).toEqual(['2:Direct:-', '4:Direct:-', '1:Hierarchy:2']);
  });

  it('ignores deleted and unknown assignees, and ancestors whose item is a tombstone or was not read', () => {
    const members = mapOf(m(10, { ancestors: [] }), m(11, { deleted: true, ancestors: [10] }), m(12, { parentMemberId: 11, ancestors: [11, 10, 98] }), m(13, { deleted: true, ancestors: [10] }));
    expect(summary(memberAccessOf([12, 13, 77], members))).toEqual(['12:Direct:-', '10:Hierarchy:12']);
  });

  it('leaves out inactive members but passes access through them', () => {
    const members = mapOf(m(20, { ancestors: [] }), m(21, { parentMemberId: 20, isActive: false, ancestors: [20] }), m(22, { parentMemberId: 21, ancestors: [21, 20] }));
    expect(summary(memberAccessOf([22], members))).toEqual(['22:Direct:-', '20:Hierarchy:22']);
    expect(summary(memberAccessOf([21], members))).toEqual(['20:Hierarchy:21']);
  });

  it('grants nothing up a list that a release-0.1.0 item lacks (not migrated yet: fails closed)', () => {
    const members = mapOf(m(30), m(31, { parentMemberId: 30 }));
    expect(summary(memberAccessOf([31], members))).toEqual(['31:Direct:-']);
  });
});

describe('participantMismatches', () => {
  const links = { participants: { [P1]: 'x' } };
  const members = [m(1, { participantUid: P1.toUpperCase() }), m(2, { participantUid: '22222222-2222-4222-8222-222222222222' }), m(3)];
  it('refuses members of another participant and members without one, only with segregation on', () => {
    expect(participantMismatches(links, members, { dataSegregation: true })).toEqual([2, 3]);
    expect(participantMismatches(links, members, { dataSegregation: false })).toEqual([]);
  });
});

describe('advisorOrder', () => {
  it('orders by lastName, firstName, then id, with missing names last', () => {
    const list = [m(1, { lastName: 'Zeller', firstName: 'A' }), m(2), m(3, { lastName: 'adler', firstName: 'B' }), m(4, { lastName: 'Adler', firstName: 'A' }), m(5, { lastName: 'Adler', firstName: 'A' })];
    expect(list.sort(advisorOrder).map((x) => x.memberId)).toEqual([4, 5, 3, 1, 2]);
  });
});
