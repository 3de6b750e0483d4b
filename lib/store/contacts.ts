// Contact items: constructors and strongly consistent reads (profile, links, uid alias).
import type { Db } from './client.js';
import { keys } from './keys.js';
import { getItem, getMany, queryPrefix } from './reads.js';
import type { ContactLinksItem, ContactProfileItem, ContactUidItem, MemberAssignmentItem } from './items.js';

export function newProfile(
  contactId: number,
  contactUid: string,
  fields: Partial<Omit<ContactProfileItem, 'pk' | 'sk' | 'type' | 'contactId' | 'contactUid'>>,
  now: string,
): ContactProfileItem {
  return {
    ...keys.contactProfile(contactId),
    sk: 'PROFILE',
    type: 'ContactProfile',
    contactId,
    contactUid,
    ...fields,
    isActive: fields.isActive ?? true,
    version: fields.version ?? 0,
    createdAt: now,
    updatedAt: now,
  };
}

export function newLinks(contactId: number, participantUids: readonly string[], now: string, isActive = true): ContactLinksItem {
  return {
    ...keys.contactLinks(contactId),
    sk: 'LINKS',
    type: 'ContactLinks',
    contactId,
    participants: Object.fromEntries(participantUids.map((p) => [p, now])),
    assignees: {},
    groups: {},
    version: 1,
    isActive,
  };
}

export const getLinks = (db: Db, contactId: number) =>
  getItem<ContactLinksItem>(db, keys.contactLinks(contactId));
export const getProfile = (db: Db, contactId: number) =>
  getItem<ContactProfileItem>(db, keys.contactProfile(contactId));
export const getUidAlias = (db: Db, contactUid: string) =>
  getItem<ContactUidItem>(db, keys.contactUid(contactUid));

/** Links of many contacts in one round trip (BatchGet, consistent). */
export const getLinksMany = (db: Db, contactIds: readonly number[]) => getMany<number, ContactLinksItem>(db, contactIds, keys.contactLinks);

/** Profiles of many contacts in one round trip (BatchGet, consistent). */
export const getProfilesMany = (db: Db, contactIds: readonly number[]) => getMany<number, ContactProfileItem>(db, contactIds, keys.contactProfile);

export const assigneeIds = (links: Pick<ContactLinksItem, 'assignees'>) => Object.keys(links.assignees).map(Number);
export const groupIdsOf = (links: Pick<ContactLinksItem, 'groups'>) => Object.keys(links.groups).map(Number);
export const participantUidsOf = (links: Pick<ContactLinksItem, 'participants'>) => Object.keys(links.participants);

/** The uid alias of a contact (a tombstone without contactId after ContactDeleted keeps the upstream version). */
export const uidAlias = (contactUid: string, version: number, contactId?: number): ContactUidItem => ({
  ...keys.contactUid(contactUid),
  sk: 'CONTACTUID',
  type: 'ContactUid',
  contactUid,
  ...(contactId !== undefined ? { contactId } : { deleted: true }),
  version,
});

/** The reverse row member → contact (contacts of a member). */
export const assignmentRow = (memberId: number, contactId: number): MemberAssignmentItem => ({
  ...keys.memberAssignment(memberId, contactId),
  type: 'MemberAssignment',
  memberId,
  contactId,
});

/** The contacts a member's reverse rows name (a superset of the truth in the contacts' links). */
export const assignedContactIds = async (db: Db, memberId: number) =>
  (await queryPrefix<MemberAssignmentItem>(db, keys.member(memberId).pk, keys.memberAssignmentPrefix)).map((r) => r.contactId);
