// Dezrez rules without the store: relationship type resolution, ContactName, primary telephone / e-mail, stored fields.
import { describe, expect, it } from 'vitest';
import { resolveRelationshipType } from '../../lib/use-cases/dezrez.js';
import { contactNameOf, groupMemberView, profileFieldsOf } from '../../lib/use-cases/dezrez-views.js';
import { newProfile } from '../../lib/store/contacts.js';
import { RuleViolationError } from '../../lib/domain/errors.js';
import type { Membership } from '../../lib/store/items.js';

const membership: Membership = { contactId: 7, membershipId: 70, relationshipType: 'GroupMember', systemStatus: 'Inactive', order: 4 };
const now = '2026-01-01T00:00:00.000Z';

describe('resolveRelationshipType', () => {
  it('resolves by SystemName, else by Id; nothing given means the default', () => {
    expect(resolveRelationshipType({ SystemName: 'FamilyPet', Id: 1 })).toBe('FamilyPet');
    expect(resolveRelationshipType({ SystemName: 'sample string 3', Id: 6 })).toBe('FriendContact');
    expect(resolveRelationshipType({ Id: 1 })).toBe('PrimaryGroupMember');
    expect(resolveRelationshipType(undefined)).toBeUndefined();
    expect(resolveRelationshipType({ SystemName: '  ', Id: null })).toBeUndefined();
  });

  it.each([[{ SystemName: 'Cousin' }], [{ Id: 42 }], [{ Name: 'Group member' }]])('refuses %j with 422 and the allowed values', (value) => {
    try {
      resolveRelationshipType(value);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleViolationError);
      expect((error as RuleViolationError).subCode).toBe('UnknownRelationshipType');
      expect((error as RuleViolationError).properties.allowed).toContain('GroupMember');
    }
  });
});

describe('group member view', () => {
  it('joins the non-empty name parts', () => {
    expect(contactNameOf({ title: ' ', firstName: 'Anna', lastName: 'Muster' })).toBe('Anna Muster');
    expect(contactNameOf({ title: 'Dr', lastName: 'Muster' })).toBe('Dr Muster');
  });

  it('picks the telephone and e-mail with the lowest ContactOrder (first given on a tie), and localizes catalogues', () => {
    const fields = profileFieldsOf({
      LastName: 'Muster',
      ContactItems: [
        { Type: { SystemName: 'WorkPhone' }, Value: 'work', ContactOrder: 2 },
        { Type: { SystemName: 'Telephone' }, Value: 'home', ContactOrder: 2 },
        { Type: { SystemName: 'Email' }, Value: 'no-order' },
        { Type: { SystemName: 'Fax' }, Value: 'fax', ContactOrder: 1 },
      ],
    });
    expect(fields).toMatchObject({ lastName: 'Muster', phone: 'work', email: 'no-order' });
    const view = groupMemberView(newProfile(7, 'uid-7', fields, now), membership, 'it');
    expect(view.Person.PrimaryTelephone?.Value).toBe('work');
    expect(view.Person.PrimaryEmail?.Value).toBe('no-order');
    expect(view.Person.ContactItems.map((i) => i.Value)).toEqual(['work', 'home', 'no-order', 'fax']);
    expect(view.SystemStatus).toEqual({ Id: 2, Name: 'Inattivo', SystemName: 'Inactive' });
    expect(view).toMatchObject({ Order: 4, Id: 70, Person: { Id: 7, ContactName: 'Muster' } });
  });

  it('shows an ingested contact e-mail and phone as its contact items', () => {
    const view = groupMemberView(newProfile(7, 'uid-7', { firstName: 'A', email: 'a@example.com', phone: '+41' }, now), membership, 'en');
    expect(view.Person.PrimaryEmail).toMatchObject({ Value: 'a@example.com', Type: { SystemName: 'Email' } });
    expect(view.Person.PrimaryTelephone).toMatchObject({ Value: '+41', Type: { SystemName: 'Telephone' } });
  });

  it('leaves out stored list entries that do not parse instead of echoing them', () => {
    const profile = newProfile(7, 'uid-7', { lastName: 'X', addresses: [{ Street: 42 }, { Street: 'Main' }], serviceTypes: ['junk'] }, now);
    const view = groupMemberView(profile, membership, 'en');
    expect(view.Person.Addresses.map((a) => a.Street)).toEqual(['Main']);
    expect(view.Person.MarketingPreferences).toEqual([]);
  });
});
