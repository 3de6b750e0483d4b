// Item shapes stored in the single table (see keys.ts for their keys and README "Data model").
import type { GroupRelationshipType, SystemStatus, RelativeRelationshipType, EntityType } from '../domain/catalogues.js';
import type { AncestryHint } from '../domain/member-hierarchy.js';

/** Attribute maps keyed by an id rendered as a string (DynamoDB map keys are strings). */
export type IdMap<V> = Record<string, V>;

export interface ContactProfileItem {
  pk: string;
  sk: 'PROFILE';
  type: 'ContactProfile';
  contactId: number;
  contactUid: string;
  title?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  gender?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** Dezrez-shaped lists kept as given (addresses, contact items, service types). */
  addresses?: unknown[] | undefined;
  contactItems?: unknown[] | undefined;
  serviceTypes?: unknown[] | undefined;
  externalApplicantReference?: string | undefined;
  isActive: boolean;
  /** Upstream aggregate version (0 for contacts created through the Dezrez endpoint). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ContactLinksItem {
  pk: string;
  sk: 'LINKS';
  type: 'ContactLinks';
  contactId: number;
  /** participantUid → createdAt */
  participants: IdMap<string>;
  /** memberId → createdAt (the truth for "members assigned to a contact") */
  assignees: IdMap<string>;
  /** memberId → its ancestor list as copied at assignment (decides a manager's access without reading the member). */
  assigneeAncestors?: IdMap<AncestryHint>;
  /** groupId → 1: superset index of the groups holding the contact (verified against the group item). */
  groups: IdMap<number>;
  /** Optimistic lock: every change of the contact's links increments it. */
  version: number;
  /** The contact's isActive (from its profile), here so that every check reads it with the links: false denies all. */
  isActive?: boolean;
}

export interface ContactUidItem {
  pk: string;
  sk: 'CONTACTUID';
  type: 'ContactUid';
  contactUid: string;
  /** Absent on a tombstone (contact deleted). */
  contactId?: number;
  deleted?: boolean;
  /** Upstream aggregate version (ContactUpserted / ContactDeleted). */
  version: number;
}

export interface RelativeItem {
  pk: string;
  sk: string;
  type: 'Relative';
  contactId: number;
  relativeContactId: number;
  relationshipType: RelativeRelationshipType;
  createdAt: string;
}

export interface MemberItem {
  pk: string;
  sk: 'MEMBER';
  type: 'Member';
  memberId: number;
  identityId: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  jobTitle?: string;
  participantUid?: string;
  /** Declared parent (may name a member not yet known, or a deleted one: see member-hierarchy.ts). */
  parentMemberId?: number;
  /**
   * Live ancestors, nearest first (at most 9): derived from the parents, kept exact by every hierarchy change
   * (absent on items of release 0.1.0 until `npm run migrate`; read as none meanwhile, so access fails closed).
   */
  ancestors?: number[];
  isActive: boolean;
  hasPicture: boolean;
  /** Upstream aggregate version (MemberUpserted / MemberDeleted). */
  version: number;
  /** Internal revision: every write of the item increments it and is conditioned on it (absent = 0). */
  rev?: number;
  /** Logical time of the item's last write (monotonic per item; see AncestryHint). */
  hlc?: number;
  /** Set while a reorganisation that covers this member is in flight (see use-cases/hierarchy.ts). */
  reorg?: ReorgLock;
  /** Tombstone after MemberDeleted; `cleanupDone` once its assignments are removed. */
  deleted?: boolean;
  cleanupDone?: boolean;
  updatedAt: string;
}

export interface MemberPictureItem {
  pk: string;
  sk: 'PICTURE';
  type: 'MemberPicture';
  memberId: number;
  image?: Uint8Array;
  contentType?: string;
  /** MemberPictureUpdated has its own version sequence. */
  version: number;
}

/** Marks a member covered by an in-flight reorganisation: writers below it wait (or help finish it when it is old). */
export interface ReorgLock {
  /** The member whose change started the reorganisation (its subtree is rewritten). */
  rootId: number;
  kind: 'move' | 'adopt' | 'delete';
  since: string;
  /** The version of the event that took it: a redelivery of that event resumes it, any other change of the root waits. */
  version?: number;
}

/** One child of a member id (the parent may be unknown yet: the child waits for it). */
export interface MemberChildItem {
  pk: string;
  sk: string;
  type: 'MemberChild';
  memberId: number;
  childId: number;
}

/** Counts children that declared a member id not known yet (see keys.waitingChildren). */
export interface WaitingChildrenItem {
  pk: string;
  sk: 'WAITING';
  type: 'WaitingChildren';
  memberId: number;
  version: number;
}

export interface MemberAssignmentItem {
  pk: string;
  sk: string;
  type: 'MemberAssignment';
  memberId: number;
  contactId: number;
}

export interface IdentityItem {
  pk: string;
  sk: 'IDENTITY';
  type: 'Identity';
  identityId: string;
  memberId: number;
  participantUid?: string;
  isActive: boolean;
  version: number;
  /**
   * Logical time of the latest reorganisation that changed which members are below this one (see AncestryHint):
   * copied ancestor lists older than it are not trusted for this subject.
   */
  reachStamp?: number;
  /**
   * Logical time of the latest reorganisation that changed how many levels lie between this member and members
   * below it (a branch moved to another depth below it) without changing which: copies older than it still decide
   * access, but not the levels an explained check or a lookup reports.
   */
  levelStamp?: number;
}

export interface Membership {
  contactId: number;
  membershipId: number;
  relationshipType: GroupRelationshipType;
  systemStatus: SystemStatus;
  order: number;
}

export interface GroupItem {
  pk: string;
  sk: 'GROUP';
  type: 'Group';
  groupId: number;
  groupName?: string | undefined;
  groupExternalId?: string | undefined;
  customAttributes?: string | undefined;
  /** The memberships, ordered by `order` (1..n): the truth for "contacts of a group". */
  contacts: Membership[];
  /** memberId → number of the group's Active contacts the member is directly assigned to. */
  assignees: IdMap<number>;
  /** For each counted member, its ancestor list as copied from the contacts' links (see AncestryHint). */
  assigneeAncestors?: IdMap<AncestryHint>;
  /** For each counted member, the group's Active contacts assigned to it (sorted): what an explained check names. */
  assigneeContacts?: IdMap<number[]>;
  /** Group version (ETag / If-Match); counts every committed change of the group. */
  version: number;
  /** Increments whenever `assignees` changes, so group writers and assignment writers serialize. */
  accessVersion: number;
  /** Number of entities linked to the group (EntityLinked/EntityUnlinked); a group with links cannot be deleted. */
  entityCount: number;
  /** The contacts of Active memberships (derived from `contacts`; projected into the name index with `assignees`). */
  activeContactIds?: number[];
  /**
   * Set only while a creation larger than one transaction is in flight (the group exists for the concurrency
   * protocol but not for readers): see commitGroupChange.
   */
  pending?: boolean;
  createdAt: string;
  updatedAt: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

export interface GroupExternalIdItem {
  pk: string;
  sk: 'GROUPEXT';
  type: 'GroupExternalId';
  groupExternalId: string;
  groupId: number;
}

export interface EntityItem {
  pk: string;
  sk: 'ENTITY';
  type: 'Entity';
  entityType: EntityType;
  entityId: number;
  /** null on a tombstone (EntityUnlinked keeps the version). */
  groupId: number | null;
  version: number;
}

/** An entity linked to a group, in the group's partition (kept with the ENTITY item in one transaction). */
export interface GroupEntityItem {
  pk: string;
  sk: string;
  type: 'GroupEntity';
  groupId: number;
  entityType: EntityType;
  entityId: number;
}

/**
 * One object a subject can reach (SPEC 5.6). `basis`: the version of the object's truth the projector decided on
 * (the contact's links version, the group's accessVersion, the entity's version), so a late projection of an older
 * state never undoes a newer one.
 */
export interface ReachItem {
  pk: string;
  sk: string;
  type: 'Reach';
  contactId?: number;
  contactUid?: string;
  groupId?: number;
  entityType?: EntityType;
  entityId?: number;
  basis: number;
}
