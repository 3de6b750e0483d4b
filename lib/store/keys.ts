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

  /**
   * Member profile, declared parent, live ancestors (nearest first, at most 9), upstream version, internal revision
   * (a tombstone after MemberDeleted). Patterns: member by id; its ancestors (is M above m: one read of m).
   */
  member: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'MEMBER' }),
  /** Member picture (binary, <= 150 KB), separate so profile reads stay small. */
  memberPicture: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'PICTURE' }),
  /**
   * One row per child of a member id (also of one not yet known: children may arrive before their parent), so a
   * manager with 5,000 direct reports has 5,000 small rows, not one growing item. Pattern: children of a member
   * (Query), walking a subtree level by level for a reorganisation.
   */
  memberChild: (parentId: number, childId: number): Key => ({ pk: `MEMBER#${parentId}`, sk: `CHILD#${pad(childId)}` }),
  memberChildPrefix: 'CHILD#',
  /**
   * Bumped by every child that declares this member id as its parent while the id is not known yet; the member's
   * first arrival is conditioned on it, so no waiting child is missed when it adopts them.
   */
  waitingChildren: (memberId: number): Key => ({ pk: `MEMBER#${memberId}`, sk: 'WAITING' }),
  /**
   * Reverse assignment row member → contact. A superset index of LINKS.assignees (rows are added no later than
   * the LINKS change and removed after it); readers verify against LINKS. Pattern: contacts of a member.
   */
  memberAssignment: (memberId: number, contactId: number): Key => ({
    pk: `MEMBER#${memberId}`,
    sk: `ASSIGNED#${pad(contactId)}`,
  }),
  memberAssignmentPrefix: 'ASSIGNED#',
  /** Identity → member id, participant, isActive. Pattern: member by identity id (the subject of every check). */
  identity: (identityId: string): Key => ({ pk: `IDENTITY#${identityId.toLowerCase()}`, sk: 'IDENTITY' }),

  /**
   * Contact group with its memberships and the multiset of members assigned to its active contacts.
   * Patterns: a group with its memberships; group access checks (one read).
   */
  group: (groupId: number): Key => ({ pk: `GROUP#${groupId}`, sk: 'GROUP' }),
  /** Unique external id → groupId (written in the group's transaction). Pattern: group by external id. */
  groupExternalId: (externalId: string): Key => ({ pk: `GROUPEXT#${externalId}`, sk: 'GROUPEXT' }),
  /**
   * Name-index keys of a group item (GSI `gsi2`). Pattern: groups by case-insensitive name prefix. The partition is
   * one of GROUP_NAME_SHARDS picked by the group id, so group writes spread over the shards whatever the names; a
   * search queries every shard (in parallel: one round trip).
   */
  groupNameIndex: (groupName: string, groupId: number) => ({
    gsi2pk: `GROUPNAME#${groupId % GROUP_NAME_SHARDS}`,
    gsi2sk: `${foldName(groupName)}#${pad(groupId)}`,
  }),

  /** Entity → group link (a tombstone with groupId null after EntityUnlinked keeps the version). Pattern: entity → group. */
  entity: (entityType: string, entityId: number): Key => ({ pk: `ENTITY#${entityType}#${entityId}`, sk: 'ENTITY' }),
  /** Group → its linked entities, one row each (written with the entity link). Pattern: entities of a group (Query). */
  groupEntity: (groupId: number, entityType: string, entityId: number): Key => ({ pk: `GROUP#${groupId}`, sk: `ENTITY#${entityType}#${pad(entityId)}` }),
  groupEntityPrefix: 'ENTITY#',

  /**
   * Reach index (SPEC 5.6 lookups): one row per object a subject can reach — a member's contacts, groups and entities
   * of each type, a contact's entities — sorted by id, so a page is one Query. Projected from the table stream (a
   * superset: every row is verified against the truth when read). Pattern: what a subject can see, cursor-paged.
   */
  reach: (subject: ReachSubject, object: ReachObject): Key => ({ pk: reachPartition(subject), sk: reachSortKey(object) }),
  reachPrefix: (kind: ReachObject['kind'], entityType?: string): string =>
    kind === 'contact' ? 'C#' : kind === 'group' ? 'G#' : `E#${entityType}#`,

  /** The partition of a command's Powertools idempotency records (their sort keys are Powertools' hashes; TTL-expired). */
  idempotencyPartition: (command: string) => `idempotency#${command}`,

  /** Atomic counters allocating int32 ids (handed out in blocks: see counters.ts). */
  counter: (name: 'contact' | 'group' | 'membership'): Key => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
} as const;

/** A member subject's rows are keyed by its identity id: what a lookup names, so its page is read with the identity. */
export type ReachSubject = { readonly identityId: string } | { readonly contactId: number };
export type ReachObject =
  | { readonly kind: 'contact'; readonly contactId: number }
  | { readonly kind: 'group'; readonly groupId: number }
  | { readonly kind: 'entity'; readonly entityType: string; readonly entityId: number };

const reachPartition = (s: ReachSubject) => ('identityId' in s ? `REACH#I#${s.identityId.toLowerCase()}` : `REACH#C#${s.contactId}`);
const reachSortKey = (o: ReachObject) =>
  o.kind === 'contact' ? `C#${pad(o.contactId)}` : o.kind === 'group' ? `G#${pad(o.groupId)}` : `E#${o.entityType}#${pad(o.entityId)}`;

/** Case folding for name-prefix search (locale-independent, accents kept). */
export function foldName(name: string): string {
  return name.trim().toLocaleLowerCase('en-US');
}

/** Partitions of the group-name index: writes spread over them; a prefix search reads each. */
export const GROUP_NAME_SHARDS = 16;

/** The index partitions and the sort-key prefix a name-prefix search reads. */
export function groupNamePrefixQuery(prefix: string) {
  return { partitions: Array.from({ length: GROUP_NAME_SHARDS }, (_, shard) => `GROUPNAME#${shard}`), prefix: foldName(prefix) };
}

/** The group id at the end of a name-index sort key (`<folded name>#<10-digit id>`). */
export const groupIdOfNameKey = (sortKey: string) => Number(sortKey.slice(sortKey.lastIndexOf('#') + 1));
