// The reach index (SPEC 5.6): which contacts, groups and entities each subject can reach, projected from the table
// stream. For every object a change touches it recomputes, from strongly consistent reads of the truth, who reaches
// it, and puts or deletes the rows that differ. It is a superset index: lookups verify every row they return, so a
// late or repeated projection never grants anything; it only decides how soon a new access shows (seconds).
import type { Db } from '../store/client.js';
import { StoreConflict, forEachConcurrently } from '../store/plans.js';
import {
  deleteReachRow,
  deleteReachRowAsRead,
  deleteReachRows,
  moveReachRows,
  putReachRow,
  reachRowName,
  reachRowsOf,
  type ReachObject,
  type ReachSubject,
} from '../store/reach.js';
import { ancestorsOf, getMembersMany, isLive } from '../store/members.js';
import type { EntityItem, MemberItem, ReachItem } from '../store/items.js';
import { entitiesOfGroup, getEntity } from '../store/entities.js';
import { assignedContactIds, getLinks, getProfile } from '../store/contacts.js';
import { getGroup, getGroupsMany } from '../store/groups.js';
import { countedAssignees } from '../domain/groups.js';
import { ancestorsChanged } from '../domain/member-hierarchy.js';
import type { StreamChange } from '../events/outbound.js';

const WRITE_CONCURRENCY = 25;

type Item = Record<string, unknown>;
const typeOf = (change: StreamChange) => (change.newImage?.type ?? change.oldImage?.type) as string | undefined;

export interface ProjectionStats {
  records: number;
  objects: number;
  rowsPut: number;
  rowsDeleted: number;
}

/**
 * Projects a batch of committed changes. Changes of one object are folded into one reconciliation (its old images'
 * reachers are all candidates for removal). Idempotent: replaying a batch changes nothing.
 */
export async function projectChanges(db: Db, changes: readonly StreamChange[]): Promise<ProjectionStats> {
  const stats: ProjectionStats = { records: changes.length, objects: 0, rowsPut: 0, rowsDeleted: 0 };
  const contacts = new Map<number, Item[]>();
  const groups = new Map<number, Item[]>();
  const entities = new Map<string, { entityType: string; entityId: number; olds: Item[] }>();
  const members: { memberId: number; before: number[]; after: number[]; deleted: boolean; identityBefore?: string; identityAfter?: string }[] = [];
  const add = <K>(map: Map<K, Item[]>, key: K, old: Item | undefined) => map.set(key, [...(map.get(key) ?? []), ...(old ? [old] : [])]);
  for (const change of changes) {
    const item = (change.newImage ?? change.oldImage)!;
    switch (typeOf(change)) {
      case 'ContactLinks':
        add(contacts, Number(item.contactId), change.oldImage);
        break;
      case 'Group':
        if (reachFieldsChanged(change.oldImage, change.newImage)) add(groups, Number(item.groupId), change.oldImage);
        break;
      case 'Entity': {
        const key = `${item.entityType}#${item.entityId}`;
        const known = entities.get(key) ?? { entityType: String(item.entityType), entityId: Number(item.entityId), olds: [] };
        if (change.oldImage) known.olds.push(change.oldImage);
        entities.set(key, known);
        break;
      }
      case 'Member': {
        const before = (change.oldImage?.ancestors as number[] | undefined) ?? [];
        const after = (change.newImage?.ancestors as number[] | undefined) ?? [];
        const deleted = change.newImage?.deleted === true && change.oldImage?.deleted !== true;
        const identityBefore = change.oldImage?.deleted === true ? undefined : (change.oldImage?.identityId as string | undefined);
        const identityAfter = change.newImage?.deleted === true ? undefined : (change.newImage?.identityId as string | undefined);
        const reidentified = identityBefore !== undefined && identityAfter !== undefined && identityBefore !== identityAfter;
        if (deleted || reidentified || ancestorsChanged(before, after).length > 0) {
          members.push({ memberId: Number(item.memberId), before, after, deleted, ...(identityBefore && { identityBefore }), ...(identityAfter && { identityAfter }) });
        }
        break;
      }
    }
  }
  const tally = (r: { put: number; deleted: number }) => {
    stats.objects++;
    stats.rowsPut += r.put;
    stats.rowsDeleted += r.deleted;
  };
  // A member whose list changed: every contact assigned to it and every group of those contacts is reconciled, with
  // the ancestors it left as candidates for removal.
  for (const m of members) {
    if (m.deleted) {
      if (m.identityBefore) tally(await dropSubject(db, { identityId: m.identityBefore }));
      continue;
    }
    // A new identity for the same member: its rows move with it.
    if (m.identityBefore && m.identityAfter && m.identityBefore !== m.identityAfter) tally(await moveSubject(db, m.identityBefore, m.identityAfter));
    if (ancestorsChanged(m.before, m.after).length === 0) continue;
    const left = m.before.filter((a) => !m.after.includes(a));
    for (const contactId of await assignedContactIds(db, m.memberId)) add(contacts, contactId, { assignees: {}, extraCandidates: left });
  }
  await forEachConcurrently([...contacts], 8, async ([contactId, olds]) => {
    const result = await reconcileContact(db, contactId, olds);
    tally(result);
    for (const groupId of result.groupsToRevisit) add(groups, groupId, { extraCandidates: olds.flatMap((o) => (o.extraCandidates as number[] | undefined) ?? []) });
  });
  await forEachConcurrently([...groups], 8, async ([groupId, olds]) => tally(await reconcileGroup(db, groupId, olds)));
  await forEachConcurrently([...entities.values()], 8, async (e) => tally(await reconcileEntity(db, e.entityType, e.entityId, e.olds)));
  return stats;
}

/**
 * Projects one object again from the truth (verify-table's repairs): the rows of everyone who reaches it now are put,
 * conditioned on the truth's version as read; each of `suspects` (rows judged stale) the truth no longer implies is
 * deleted as it was read. Idempotent.
 */
export async function reprojectObject(db: Db, object: ReachObject, suspects: readonly ReachItem[] = []): Promise<{ put: number; deleted: number }> {
  const result =
    object.kind === 'contact'
      ? await reconcileContact(db, object.contactId, [])
      : object.kind === 'group'
        ? await reconcileGroup(db, object.groupId, [])
        : await reconcileEntity(db, object.entityType, object.entityId, []);
  let deleted = result.deleted;
  for (const row of suspects) {
    if (result.kept.has(reachRowName(row))) continue;
    try {
      await deleteReachRowAsRead(db, row);
      deleted++;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
  return { put: result.put, deleted };
}

/** A group's change matters to the index when who reaches it, or which contacts are active in it, may have changed. */
function reachFieldsChanged(before: Item | undefined, after: Item | undefined): boolean {
  const view = (g: Item | undefined) =>
    g && g.pending !== true ? JSON.stringify([g.assignees ?? {}, g.assigneeAncestors ?? {}, g.activeContactIds ?? null, g.contacts ?? []]) : '';
  return view(before) !== view(after);
}

/**
 * Who reaches objects assigned to the given members: each live member and its ancestors (strong reads of the lists),
 * by member id with their identity ids (a member subject's rows are keyed by its identity).
 */
async function reachersOf(db: Db, memberIds: Iterable<number>): Promise<Map<number, string>> {
  const ids = [...new Set(memberIds)];
  const assigned = await getMembersMany(db, ids);
  const reachers = new Set<number>();
  for (const [id, member] of assigned) {
    if (!isLive(member)) continue;
    reachers.add(id);
    for (const a of ancestorsOf(member)) reachers.add(a);
  }
  return identitiesOf(db, reachers, assigned);
}

/** Identity ids of members (live or tombstones: a tombstone keeps the identity its rows were keyed by). */
async function identitiesOf(db: Db, memberIds: Iterable<number>, known: ReadonlyMap<number, MemberItem> = new Map()): Promise<Map<number, string>> {
  const ids = [...new Set(memberIds)];
  const missing = ids.filter((id) => !known.has(id));
  const read = await getMembersMany(db, missing);
  const out = new Map<number, string>();
  for (const id of ids) {
    const member = known.get(id) ?? read.get(id);
    if (member?.identityId) out.set(id, member.identityId);
  }
  return out;
}

/** Who an old image said reached it: its assigned members and the ancestors copied beside them, plus any extra candidates. */
function oldReachers(olds: readonly Item[], field: 'assignees'): Set<number> {
  const out = new Set<number>();
  for (const old of olds) {
    const counted = field === 'assignees' ? Object.entries((old.assignees as Record<string, unknown>) ?? {}) : [];
    for (const [m, value] of counted) {
      if (typeof value === 'number' && value <= 0) continue;
      out.add(Number(m));
      const copy = (old.assigneeAncestors as Record<string, { ancestors: number[] }> | undefined)?.[m];
      for (const a of copy?.ancestors ?? []) out.add(a);
    }
    for (const extra of (old.extraCandidates as number[] | undefined) ?? []) out.add(extra);
  }
  return out;
}

/** Rows written and deleted, and the keys of every row the truth implies (put or already there). */
interface Reconciled {
  put: number;
  deleted: number;
  kept: Set<string>;
}

interface RowChange {
  subject: ReachSubject;
  object: ReachObject;
  attributes?: Partial<ReachItem>;
}

/**
 * Puts the rows that should exist and deletes the candidates that should not, each conditioned on its basis: a row
 * decided on a newer version of the object's truth is never undone by a slower projection of an older one.
 */
async function reconcileRows(db: Db, basis: number | undefined, put: RowChange[], remove: RowChange[]): Promise<Reconciled> {
  let written = 0;
  let deleted = 0;
  await forEachConcurrently([...put.map((r) => ({ r, put: true })), ...remove.map((r) => ({ r, put: false }))], WRITE_CONCURRENCY, async ({ r, put: isPut }) => {
    try {
      if (isPut) {
        await putReachRow(db, r.subject, r.object, r.attributes ?? {}, basis);
        written++;
      } else {
        await deleteReachRow(db, r.subject, r.object, basis);
        deleted++;
      }
    } catch (error) {
      // A newer projection got there first.
      if (!(error instanceof StoreConflict)) throw error;
    }
  });
  const kept = new Set(put.map(reachRowName));
  return { put: written, deleted, kept };
}

/** Rows (member, contact): the contact's assigned members and their ancestors, from the truth. */
async function reconcileContact(db: Db, contactId: number, olds: readonly Item[]): Promise<Reconciled & { groupsToRevisit: number[] }> {
  const [links, profile] = await Promise.all([
    getLinks(db, contactId),
    getProfile(db, contactId),
  ]);
  const target = links ? await reachersOf(db, Object.keys(links.assignees).map(Number)) : new Map<number, string>();
  const gone = await identitiesOf(db, [...oldReachers(olds, 'assignees')].filter((m) => !target.has(m)));
  const object: ReachObject = { kind: 'contact', contactId };
  const put = [...target.values()].map((identityId) => ({ subject: { identityId }, object, attributes: { contactId, ...(profile && { contactUid: profile.contactUid }) } }));
  const remove = [...gone.values()].map((identityId) => ({ subject: { identityId }, object }));
  const result = await reconcileRows(db, links?.version ?? Number.MAX_SAFE_INTEGER, put, remove);
  if (!links) {
    const dropped = await dropSubject(db, { contactId });
    result.deleted += dropped.deleted;
  }
  // A member's move also changes who reaches the groups of its contacts.
  const revisit = olds.some((o) => o.extraCandidates !== undefined) ? Object.keys(links?.groups ?? {}).map(Number) : [];
  return { ...result, groupsToRevisit: revisit };
}

/**
 * Rows (member, group), (member, entity) for every entity of the group, and (contact, entity) for its Active contacts:
 * from the group's counted members (their lists read strongly) and its entity rows.
 */
async function reconcileGroup(db: Db, groupId: number, olds: readonly Item[]): Promise<Reconciled> {
  const [stored, entities] = await Promise.all([getGroup(db, groupId), entitiesOfGroup(db, groupId)]);
  const group = stored && stored.pending !== true ? stored : undefined;
  const reachers = group ? await reachersOf(db, countedAssignees(group.assignees)) : new Map<number, string>();
  const active = new Set(group ? group.contacts.filter((m) => m.systemStatus === 'Active').map((m) => m.contactId) : []);
  const gone = await identitiesOf(db, [...oldReachers(olds, 'assignees')].filter((m) => !reachers.has(m)));
  const oldActive = new Set(olds.flatMap((o) => ((o.contacts as { contactId: number; systemStatus: string }[] | undefined) ?? []).filter((m) => m.systemStatus === 'Active').map((m) => m.contactId)));

  const groupObject: ReachObject = { kind: 'group', groupId };
  const entityObjects = entities.map((e): ReachObject => ({ kind: 'entity', entityType: e.entityType, entityId: e.entityId }));
  const entityAttrs = (o: ReachObject) => (o.kind === 'entity' ? { entityType: o.entityType as EntityItem['entityType'], entityId: o.entityId, groupId } : {});
  const put: RowChange[] = [];
  const remove: RowChange[] = [];
  const rows = [{ object: groupObject, attributes: { groupId } }, ...entityObjects.map((object) => ({ object, attributes: entityAttrs(object) }))];
  for (const identityId of reachers.values()) for (const row of rows) put.push({ subject: { identityId }, ...row });
  for (const identityId of gone.values()) for (const row of rows) remove.push({ subject: { identityId }, object: row.object });
  for (const contactId of new Set([...active, ...oldActive])) {
    for (const object of entityObjects) (active.has(contactId) ? put : remove).push({ subject: { contactId }, object, attributes: entityAttrs(object) });
  }
  return reconcileRows(db, group ? group.version + group.accessVersion : Number.MAX_SAFE_INTEGER, put, remove);
}

/** Rows (subject, entity): the reachers and Active contacts of the group it is linked to now; none of its former group's. */
async function reconcileEntity(db: Db, entityType: string, entityId: number, olds: readonly Item[]): Promise<Reconciled> {
  const entity = await getEntity(db, entityType, entityId);
  const now = entity?.groupId ?? null;
  const formerGroups = [...new Set(olds.map((o) => o.groupId).filter((g): g is number => typeof g === 'number' && g !== now))];
  const groups = [...(now !== null ? [now] : []), ...formerGroups];
  const items = await getGroupsMany(db, groups);
  const subjectsOf = async (groupId: number) => {
    const group = items.get(groupId);
    if (!group || group.pending) return { members: new Set<string>(), contacts: new Set<number>() };
    return {
      members: new Set((await reachersOf(db, countedAssignees(group.assignees))).values()),
      contacts: new Set(group.contacts.filter((m) => m.systemStatus === 'Active').map((m) => m.contactId)),
    };
  };
  const object: ReachObject = { kind: 'entity', entityType, entityId };
  const attributes = { entityType: entityType as EntityItem['entityType'], entityId, ...(now !== null && { groupId: now }) };
  const current = now !== null ? await subjectsOf(now) : { members: new Set<string>(), contacts: new Set<number>() };
  const put: RowChange[] = [
    ...[...current.members].map((identityId) => ({ subject: { identityId }, object, attributes })),
    ...[...current.contacts].map((contactId) => ({ subject: { contactId }, object, attributes })),
  ];
  const remove: RowChange[] = [];
  for (const former of formerGroups) {
    const before = await subjectsOf(former);
    for (const identityId of before.members) if (!current.members.has(identityId)) remove.push({ subject: { identityId }, object });
    for (const contactId of before.contacts) if (!current.contacts.has(contactId)) remove.push({ subject: { contactId }, object });
  }
  return reconcileRows(db, undefined, put, remove);
}

/** A subject that is gone (a deleted member or contact): its rows go too. */
async function dropSubject(db: Db, subject: ReachSubject): Promise<{ put: number; deleted: number }> {
  const rows = await reachRowsOf(db, subject);
  await deleteReachRows(db, rows);
  return { put: 0, deleted: rows.length };
}

/** A member's rows under its new identity id (the member re-identified upstream). */
async function moveSubject(db: Db, from: string, to: string): Promise<{ put: number; deleted: number }> {
  const rows = await reachRowsOf(db, { identityId: from });
  await moveReachRows(db, rows, { identityId: to });
  return { put: rows.length, deleted: rows.length };
}
