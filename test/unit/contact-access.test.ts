// canAccessContact exactly as SPEC 3, as a table of cases.
import { describe, expect, it } from 'vitest';
import { canAccessContact, contactAccessReason, type ContactAccessFacts, type MemberReach } from '../../lib/domain/contact-access.js';
import type { Caller } from '../../lib/domain/caller.js';

const P1 = '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a01';
const P2 = '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a02';
const scopes = (...s: string[]) => new Set(['crs.read', ...s]);

const contact: ContactAccessFacts = { contactId: 10, participantUids: new Set([P1]), assignedMemberIds: new Set([4]) };
const app = (participantUid?: string, admin = false): Caller => ({
  type: 'application', subject: 'app', scopes: admin ? scopes('crs.admin') : scopes(), ...(participantUid && { participantUid }),
});
const member = (memberId: number, admin = false): Caller => ({ type: 'member', subject: 'i', memberId, scopes: admin ? scopes('crs.admin') : scopes() });
/** The member's reach over the contact: member 4 (assigned) hangs below 2, below 1; member 3 heads another branch. */
const reach = (memberId: number): MemberReach => ({ memberId, hierarchy: new Map([[4, [2, 1]]]) });
const contactCaller = (contactId: number): Caller => ({ type: 'contact', subject: 'c', contactId, scopes: scopes() });

describe('canAccessContact', () => {
  it.each([
    // caller, segregation, reach, expected reason
    ['admin application', app(undefined, true), true, undefined, 'admin'],
    ['admin member without any assignment', member(99, true), false, reach(99), 'admin'],
    ['application, segregation off', app(P2), false, undefined, 'application'],
    ['application without participant, segregation off', app(), false, undefined, 'application'],
    ['application of the contact\'s participant, segregation on', app(P1), true, undefined, 'participant'],
    ['application of another participant, segregation on', app(P2), true, undefined, undefined],
    ['application without participant, segregation on', app(), true, undefined, undefined],
    ['member directly assigned', member(4), false, reach(4), 'direct'],
    ['ancestor of the assigned member', member(2), false, reach(2), 'hierarchy'],
    ['root two levels up', member(1), false, reach(1), 'hierarchy'],
    ['member of another branch', member(3), false, reach(3), undefined],
    ['descendant of the assigned member', member(8), false, reach(8), undefined],
    ['assigned member without a loaded identity (deleted)', member(4), false, undefined, undefined],
    ['assigned member whose identity belongs to another member', member(4), false, reach(5), undefined],
    ['member ignores segregation (assignment decides)', member(4), true, reach(4), 'direct'],
    ['the contact itself', contactCaller(10), false, undefined, 'self'],
    ['another contact', contactCaller(11), false, undefined, undefined],
  ] as const)('%s', (_, caller, dataSegregation, memberReach, expected) => {
    expect(contactAccessReason(caller, contact, { dataSegregation }, memberReach)).toBe(expected);
    expect(canAccessContact(caller, contact, { dataSegregation }, memberReach)).toBe(expected !== undefined);
  });
});
