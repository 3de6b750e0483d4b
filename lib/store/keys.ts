// Every key of the single table, with the access pattern each item serves. Nothing else builds a key.
//
// Consistency rule: everything an authorization decision reads lives in the base table and is read with
// ConsistentRead, so a revoked assignment, membership or hierarchy link is denied on the very next request.

export interface Key {
  pk: string;
  sk: string;
}

const pad = (id: number) => String(id).padStart(10, '0');

export const keys = {
  /** Contact profile (upstream fields + upstream version). Pattern: contact by id. */
  contactProfile: (contactId: number): Key => ({ pk: `CONTACT#${contactId}`, sk: 'PROFILE' }),
  /**
   * Contact links: participants, assigned members, groups (with membership status), optimistic version.
   * Patterns: participants of a contact; members assigned to a contact; groups of a contact; contact access
   * (one strongly consistent GetItem answers canAccessContact together with the caller's identity item).
   */
  contactLinks: (contactId: number): Key => ({ pk: `CONTACT#${contactId}`, sk: 'LINKS' }),
  /** Alias uid → contactId; also the uniqueness guard for id allocation and the contact's tombstone. Pattern: contact by uid. */
  contactUid: (contactUid: string): Key => ({ pk: `CONTACTUID#${contactUid.toLowerCase()}`, sk: 'CONTACTUID' }),
  /** Relative link A → B (the reciprocal B → A is written in the same transaction). Pattern: relatives of a contact. */
  relative: (contactId: number, relativeContactId: number): Key => ({
    pk: `CONTACT#${contactId}`,
    sk: `RELATIVE#${pad(relativeContactId)}`,
  }),
  relativePrefix: 'RELATIVE#',

  /** Member profile, parent pointer, upstream version (a tombstone after MemberDeleted). Pattern: member by id. */
  member: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'MEMBER' }),
  /** Member picture (binary, <= 150 KB), separate so profile reads stay small. */
  memberPicture: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'PICTURE' }),
  /** Children of a member id (also of one not yet known: children may arrive before their parent). */
  memberChildren: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'CHILDREN' }),
  /**
   * Reverse assignment row member → contact. A superset index of LINKS.assignees (rows are added no later than
   * the LINKS change and removed after it); readers verify against LINKS. Pattern: contacts of a member.
   */
  memberAssignment: (memberId: number, contactId: number): Key => ({
    pk: `MEMBER#${memberId}`,
    sk: `ASSIGNED#${pad(contactId)}`,
  }),
  memberAssignmentPrefix: 'ASSIGNED#',
  /**
   * Identity → member, plus the member's hierarchy closure (every descendant with its distance). Patterns: member
   * by identity id; hierarchy access in one read (ancestor ⇔ the assigned member is in the caller's closure).
   */
  identity: (identityId: string): Key => ({ pk: `IDENTITY#${identityId.toLowerCase()}`, sk: 'IDENTITY' }),

  /**
   * Contact group with its memberships and the multiset of members assigned to its active contacts.
   * Patterns: a group with its memberships; group access checks (one read).
   */
  group: (groupId: number): Key => ({ pk: `GROUP#${groupId}`, sk: 'GROUP' }),
  /** Unique external id → groupId (written in the group's transaction). Pattern: group by external id. */
  groupExternalId: (externalId: string): Key => ({ pk: `GROUPEXT#${externalId}`, sk: 'GROUPEXT' }),
  /** GSI1 keys of a group item. Pattern: groups by case-insensitive name prefix. */
  groupNameIndex: (groupName: string, groupId: number) => {
    const folded = foldName(groupName);
    return { gsi1pk: `GROUPNAME#${folded.slice(0, 1)}`, gsi1sk: `${folded}#${pad(groupId)}` };
  },

  /** Entity → group link (a tombstone with groupId null after EntityUnlinked keeps the version). Pattern: entity → group. */
  entity: (entityType: string, entityId: number): Key => ({ pk: `ENTITY#${entityType}#${entityId}`, sk: 'ENTITY' }),

  /** Atomic counters allocating int32 ids. */
  counter: (name: 'contact' | 'group' | 'membership'): Key => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
} as const;

/** Case folding for name-prefix search (locale-independent, accents kept). */
export function foldName(name: string): string {
  return name.trim().toLocaleLowerCase('en-US');
}

export function groupNamePrefixQuery(prefix: string) {
  const folded = foldName(prefix);
  return { gsi1pk: `GROUPNAME#${folded.slice(0, 1)}`, prefix: folded };
}
