// Contact items: constructors, strongly consistent reads (profile, links, uid alias) and the write plans of a contact's
// items (its links, profile and alias, the reverse rows of its assignments).
import type { Db } from './client.js';
import { keys } from './keys.js';
import { cond } from './expressions.js';
import { getItem, getMany, queryPrefix } from './reads.js';
import { deleteAction, putAction, updateAction, type IndexRow } from './transactions.js';
import type { Plan } from './plans.js';
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
const assignmentRow = (memberId: number, contactId: number): MemberAssignmentItem => ({
  ...keys.memberAssignment(memberId, contactId),
  type: 'MemberAssignment',
  memberId,
  contactId,
});

/** The contacts a member's reverse rows name (a superset of the truth in the contacts' links). */
export const assignedContactIds = async (db: Db, memberId: number) =>
  (await queryPrefix<MemberAssignmentItem>(db, keys.member(memberId).pk, keys.memberAssignmentPrefix)).map((r) => r.contactId);

/**
 * Bumps the contacts' links versions, conditioned on the versions read: a change of something else about the
 * contacts (their relatives) then conflicts with any change of their links since it was read, and with their deletion.
 */
export const bumpLinksPlan = (links: readonly Pick<ContactLinksItem, 'contactId' | 'version'>[]): Plan =>
  links.map((l) => updateAction(keys.contactLinks(l.contactId), { increment: [[['version'], 1]], condition: cond.versionIs(l.version) }));

/** Associates and dissociates participants of a contact, conditioned on the links version read. */
export const participantsPlan = (links: Pick<ContactLinksItem, 'contactId' | 'version'>, added: readonly string[], removed: readonly string[], now: string): Plan => [
  updateAction(keys.contactLinks(links.contactId), {
    set: added.map((uid) => [['participants', uid], now] as const),
    remove: removed.map((uid) => ['participants', uid]),
    increment: [[['version'], 1]],
    condition: cond.versionIs(links.version),
  }),
];

/** A contact's uid alias written over the one read (none: the uid must be new). */
export const uidAliasPlan = (alias: ContactUidItem, read: Pick<ContactUidItem, 'version'> | undefined): Plan => [putAction(alias, cond.versionIs(read?.version))];

/** A new contact: its uid alias (over the one read: a tombstone, or none), profile and links, none of them existing yet. */
export const newContactPlan = (alias: ContactUidItem, profile: ContactProfileItem, links: ContactLinksItem, read?: Pick<ContactUidItem, 'version'>): Plan => [
  ...uidAliasPlan(alias, read),
  putAction(profile, cond.absent()),
  putAction(links, cond.absent()),
];

/** The upstream version of a contact's uid alias moves on (conditioned on the version read). */
export const uidAliasVersionPlan = (contactUid: string, read: Pick<ContactUidItem, 'version'>, version: number): Plan => [
  updateAction(keys.contactUid(contactUid), { set: [[['version'], version]], condition: cond.versionIs(read.version) }),
];

/** A contact's next profile, conditioned on the version of the one read. */
export const profilePlan = (next: ContactProfileItem, read: Pick<ContactProfileItem, 'version'>): Plan => [putAction(next, cond.versionIs(read.version))];

/** Upstream's change of a contact's links: participants added, isActive copied (conditioned on the links version read). */
export const upstreamLinksPlan = (links: Pick<ContactLinksItem, 'contactId' | 'version'>, added: readonly string[], isActive: boolean | undefined, now: string): Plan => [
  updateAction(keys.contactLinks(links.contactId), {
    set: [...added.map((p) => [['participants', p], now] as const), ...(isActive !== undefined ? [[['isActive'], isActive] as const] : [])],
    increment: [[['version'], 1]],
    condition: cond.versionIs(links.version),
  }),
];

/** A contact deleted: its profile, and its links as read (their version conditions the deletion). */
export const contactDeletionPlan = (links: Pick<ContactLinksItem, 'contactId' | 'version'>): Plan => [
  deleteAction(keys.contactProfile(links.contactId)),
  deleteAction(keys.contactLinks(links.contactId), cond.versionIs(links.version)),
];

/** A contact joins a group: the group in its links, conditioned on the links version the change was decided on. */
export const joinGroupPlan = (contactId: number, groupId: number, linksVersion: number): Plan => [
  updateAction(keys.contactLinks(contactId), { set: [[['groups', String(groupId)], 1]], increment: [[['version'], 1]], condition: cond.versionIs(linksVersion) }),
];

/** A contact left a group: the group leaves its links (a superset index: no version bump). */
export const leaveGroupPlan = (contactId: number, groupId: number): Plan => [
  updateAction(keys.contactLinks(contactId), { remove: [['groups', String(groupId)]], condition: cond.exists() }),
];

/**
 * A change of a contact's assignees: the assigned members with the copies of their ancestor lists, groups that no
 * longer exist dropped from the group index; conditioned on the links version read.
 */
export const assigneesPlan = (
  links: Pick<ContactLinksItem, 'contactId' | 'version'>,
  assignees: ContactLinksItem['assignees'],
  assigneeAncestors: NonNullable<ContactLinksItem['assigneeAncestors']>,
  droppedGroups: readonly number[],
): Plan => [
  updateAction(keys.contactLinks(links.contactId), {
    set: [[['assignees'], assignees], [['assigneeAncestors'], assigneeAncestors]],
    increment: [[['version'], 1]],
    remove: droppedGroups.map((g) => ['groups', String(g)]),
    condition: cond.versionIs(links.version),
  }),
];

/** The reverse rows of members assigned to a contact, as index rows put before the change (see commitChange). */
export const assignmentRowsPut = (memberIds: readonly number[], contactId: number): IndexRow[] => memberIds.map((m) => ({ put: assignmentRow(m, contactId) }));

/** The reverse rows of members unassigned from a contact, as index rows deleted after the change. */
export const assignmentRowsDelete = (memberIds: readonly number[], contactId: number): IndexRow[] =>
  memberIds.map((m) => ({ delete: keys.memberAssignment(m, contactId) }));

/** The reverse row of an assignment written in a transaction. */
export const assignmentRowPlan = (memberId: number, contactId: number): Plan => [putAction(assignmentRow(memberId, contactId))];

/** The reverse row of an assignment removed in a transaction. */
export const assignmentRowDeletePlan = (memberId: number, contactId: number): Plan => [deleteAction(keys.memberAssignment(memberId, contactId))];

