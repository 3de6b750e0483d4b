// JWT claims → caller (SPEC 3): valid shapes accepted, anything else refused with 401 InvalidClaims.
import { describe, expect, it } from 'vitest';
import { callerFromClaims, isAdmin, requireScope, requireWriter } from '../../lib/domain/caller.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/domain/errors.js';

const identity = '4d2c1b0a-0000-4000-8000-000000000007';
const participant = '7A1F3C2E-5B6D-4E8F-9A0B-1C2D3E4F5A01';

describe('callerFromClaims', () => {
  it('reads an application with its participant (lower-cased)', () => {
    const caller = callerFromClaims({ sub: 'client-1', caller_type: 'application', participant_uid: participant, scope: 'crs.read crs.write' });
    expect(caller).toMatchObject({ type: 'application', subject: 'client-1', participantUid: participant.toLowerCase() });
    expect([...caller.scopes]).toEqual(['crs.read', 'crs.write']);
  });

  it('reads a member whose id arrives as a string (API Gateway claims are strings)', () => {
    expect(callerFromClaims({ sub: identity, caller_type: 'member', member_id: '7', scope: 'crs.read' })).toMatchObject({ type: 'member', memberId: 7, subject: identity });
  });

  it('reads a contact', () => {
    expect(callerFromClaims({ sub: 'c0a7c7e0-0000-4000-8000-000000000012', caller_type: 'contact', contact_id: 12 })).toMatchObject({ type: 'contact', contactId: 12 });
  });

  it.each([
    ['no sub', { caller_type: 'application' }],
    ['unknown caller type', { sub: 'x', caller_type: 'robot' }],
    ['member without member_id', { sub: identity, caller_type: 'member' }],
    ['member with a non-uuid identity', { sub: 'not-a-uuid', caller_type: 'member', member_id: 7 }],
    ['member id 0', { sub: identity, caller_type: 'member', member_id: 0 }],
    ['member id beyond int32', { sub: identity, caller_type: 'member', member_id: '2147483648' }],
    ['contact without contact_id', { sub: 'x', caller_type: 'contact' }],
    ['participant that is not a uuid', { sub: 'x', caller_type: 'application', participant_uid: 'p1' }],
    ['not an object', 'token'],
  ])('refuses %s', (_, claims) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthorizedError);
  });
});

describe('scopes', () => {
  const app = (scope: string) => callerFromClaims({ sub: 'a', caller_type: 'application', scope });

  it('requires the named scope (admin does not imply it)', () => {
    expect(() => requireScope(app('crs.admin'), 'crs.read')).toThrow(ForbiddenError);
    expect(() => requireScope(app('crs.read'), 'crs.read')).not.toThrow();
  });

  it('recognises admins', () => {
    expect(isAdmin(app('crs.read crs.admin'))).toBe(true);
    expect(isAdmin(app('crs.read'))).toBe(false);
  });

  it('never lets a contact write, even with crs.write', () => {
    const contact = callerFromClaims({ sub: 'c', caller_type: 'contact', contact_id: 3, scope: 'crs.read crs.write' });
    expect(() => requireWriter(contact)).toThrow(expect.objectContaining({ subCode: 'ContactCannotWrite' }));
    expect(() => requireWriter(app('crs.read'))).toThrow(expect.objectContaining({ subCode: 'MissingScope' }));
  });
});
