// Member, identity and child items: reads, parent resolution, the write plans of a member's changes and the writes of
// the hierarchy's derived data.
import type { Db } from './client.js';
import { keys } from './keys.js';
import { cond, type Condition } from './expressions.js';
import { getItem, getMany, queryAll } from './reads.js';
import { checkAction, deleteAction, forEachConcurrently, putAction, updateAction, writeOne, type Action } from './transactions.js';
import type { Plan } from './plans.js';
import type { IdentityItem, MemberChildItem, MemberItem, MemberPictureItem, ReorgLock, WaitingChildrenItem } from './items.js';
import { MAX_CHAIN_LENGTH, type Ancestors, type AncestryHint } from '../domain/member-hierarchy.js';

export const getMember = (db: Db, memberId: number) => getItem<MemberItem>(db, keys.member(memberId));
export const getIdentity = (db: Db, identityId: string) => getItem<IdentityItem>(db, keys.identity(identityId));
export const getWaitingChildren = (db: Db, memberId: number) => getItem<WaitingChildrenItem>(db, keys.waitingChildren(memberId));
export const getPicture = (db: Db, memberId: number) => getItem<MemberPictureItem>(db, keys.memberPicture(memberId));

export const isLive = (m: MemberItem | undefined): m is MemberItem => m !== undefined && m.deleted !== true;
/** The stored ancestor list (none on an item of release 0.1.0 that was not migrated yet: access fails closed). */
export const ancestorsOf = (m: Pick<MemberItem, 'ancestors'>): Ancestors => m.ancestors ?? [];
export const revOf = (m: Pick<MemberItem, 'rev'> | undefined): number | undefined => (m === undefined ? undefined : (m.rev ?? 0));

/** The logical time of a member's next write: after its last one, near the clock, never below `floor`. */
export const nextHlc = (previous: Pick<MemberItem, 'hlc'> | undefined, floor = 0): number => Math.max(Date.now(), (previous?.hlc ?? 0) + 1, floor);

/**
 * A copy of a member's ancestor list to keep beside its assignments: only of a live member that no reorganisation is
 * rewriting (a locked list may be about to change) and that has a logical time (items of release 0.1.0 have none).
 */
export const hintOf = (member: MemberItem | undefined): AncestryHint | undefined =>
  isLive(member) && member.reorg === undefined && member.ancestors !== undefined && member.hlc !== undefined
    ? { ancestors: [...member.ancestors], hlc: member.hlc }
    : undefined;

export const getMembersMany = (db: Db, memberIds: readonly number[]) => getMany<number, MemberItem>(db, memberIds, keys.member);

/** Ancestor lists of the live members among `members` (the hierarchy facts an access decision reads). */
export function hierarchyOf(members: ReadonlyMap<number, MemberItem>): Map<number, Ancestors> {
  const out = new Map<number, Ancestors>();
  for (const [id, member] of members) if (isLive(member)) out.set(id, ancestorsOf(member));
  return out;
}

export const getIdentitiesMany = (db: Db, identityIds: readonly string[]) => getMany<string, IdentityItem>(db, identityIds, keys.identity);

/** Children of a member id (one Query of its child rows; strongly consistent). */
export async function childIdsOf(db: Db, memberId: number): Promise<number[]> {
  const rows = await queryAll<MemberChildItem>(db, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': keys.member(memberId).pk, ':sk': keys.memberChildPrefix },
    ProjectionExpression: 'childId',
  });
  return rows.map((r) => r.childId);
}

/** Children of many member ids: their queries in parallel, at most `concurrency` at a time. */
export async function childIdsOfMany(db: Db, memberIds: readonly number[], concurrency = 32): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  await forEachConcurrently(memberIds, concurrency, async (id) => {
    out.set(id, await childIdsOf(db, id));
  });
  return out;
}

export class CycleDetected extends Error {
  constructor(readonly at: number) {
    super(`cycle in the member hierarchy at member ${at}`);
  }
}

/** Where a declared parent leads: the first live member up its chain, or an id not known yet, or nowhere. */
export interface ResolvedParent {
  /** The live parent (deleted members on the way are passed through: their children moved up to their parent). */
  live?: MemberItem;
  /** The first id on the way that names no member yet (the child waits for it). */
  unknownId?: number;
  /** Tombstones passed on the way. */
  passed: MemberItem[];
}

/**
 * Follows a declared parent up through deleted members (bounded as chains are). `first`: the declared parent as
 * already read in an earlier round trip.
 */
export async function resolveParent(db: Db, declaredParentId: number | undefined, self?: number, first?: { item: MemberItem | undefined }): Promise<ResolvedParent> {
  const passed: MemberItem[] = [];
  const seen = new Set<number>();
  for (let next = declaredParentId; next !== undefined; ) {
    if (next === self || seen.has(next) || seen.size > 4 * MAX_CHAIN_LENGTH) throw new CycleDetected(next);
    const member = seen.size === 0 && first ? first.item : await getMember(db, next);
    seen.add(next);
    if (!member) return { unknownId: next, passed };
    if (!member.deleted) return { live: member, passed };
    passed.push(member);
    next = member.parentMemberId;
  }
  return { passed };
}

/** The parent a member's child row lives under: the live parent, or the unknown id it waits for. */
export const parentRowId = (p: ResolvedParent): number | undefined => p.live?.memberId ?? p.unknownId;

export function childRow(parentId: number, childId: number): MemberChildItem {
  return { ...keys.memberChild(parentId, childId), type: 'MemberChild', memberId: parentId, childId };
}

/** Moves a child's row from under one parent id to under another (none: the child hangs nowhere). */
export const moveChildRowPlan = (fromParentId: number, toParentId: number | undefined, childId: number): Plan => [
  deleteAction(keys.memberChild(fromParentId, childId)),
  ...(toParentId !== undefined ? [putAction(childRow(toParentId, childId))] : []),
];

/** The member's revision is still `rev` and (when `lock` is given) any lock on it is that reorganisation's. */
export function revAndLock(rev: number, rootId?: number): Condition {
  const base = cond.revIs(rev);
  if (rootId === undefined) return base;
  return {
    ConditionExpression: `(${base.ConditionExpression}) AND (attribute_not_exists(#lk) OR #lk.#root = :lkroot)`,
    ExpressionAttributeNames: { ...base.ExpressionAttributeNames, '#lk': 'reorg', '#root': 'rootId' },
    ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ':lkroot': rootId },
  };
}

/** Locks a member for a reorganisation (bumping its revision, so writers that read it before retry): one write alone. */
export const writeLock = (db: Db, member: MemberItem, lock: ReorgLock, hlc: number) =>
  writeOne(db, lockAction(member, lock, hlc));

const lockAction = (member: MemberItem, lock: ReorgLock, hlc: number) =>
  updateAction(keys.member(member.memberId), {
    set: [[['reorg'], lock], [['hlc'], hlc]],
    increment: [[['rev'], 1]],
    condition: revAndLock(revOf(member)!, lock.rootId),
  });

/** A member's recomputed ancestors and lifted lock, written alone (see ancestryAction). */
export const writeAncestry = (db: Db, member: MemberItem, next: { ancestors: Ancestors }) => writeOne(db, ancestryAction(member, next));

/** Writes a member's recomputed ancestors (and parent, when its parent was deleted) and lifts its lock. */
export const ancestryAction = (
  member: MemberItem,
  next: { ancestors: Ancestors; parentMemberId?: number | null | undefined },
) =>
  updateAction(keys.member(member.memberId), {
    set: [
      [['ancestors'], [...next.ancestors]],
      [['hlc'], nextHlc(member)],
      ...(typeof next.parentMemberId === 'number' ? [[['parentMemberId'], next.parentMemberId] as const] : []),
    ],
    increment: [[['rev'], 1]],
    remove: [['reorg'], ...(next.parentMemberId === null ? [['parentMemberId']] : [])],
    condition: cond.revIs(revOf(member)!),
  });

/**
 * Stamps a member's identity with a reorganisation's logical time (kept when it already holds a later one). The
 * version moves too, so a writer that read the identity before cannot put it back without the stamp.
 */
export const writeReachStamp = (db: Db, identityId: string, stamp: number, field: 'reachStamp' | 'levelStamp' = 'reachStamp') =>
  writeOne(db, reachStampAction(identityId, stamp, field));

const reachStampAction = (identityId: string, stamp: number, field: 'reachStamp' | 'levelStamp') =>
  updateAction(keys.identity(identityId), {
    set: [[[field], stamp]],
    increment: [[['version'], 1]],
    condition: {
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#rs) OR #rs < :rs)',
      ExpressionAttributeNames: { '#rs': field },
      ExpressionAttributeValues: { ':rs': stamp },
    },
  });

/** The member's child row may sit under any id on the way to its old parent: remove it wherever it is. */
export async function childRowDeletes(db: Db, member: MemberItem): Promise<Plan> {
  let old: ResolvedParent;
  try {
    old = await resolveParent(db, member.parentMemberId, member.memberId);
  } catch (error) {
    if (!(error instanceof CycleDetected)) throw error;
    old = { passed: [] };
  }
  const ids = new Set<number>([...(member.parentMemberId !== undefined ? [member.parentMemberId] : []), ...old.passed.map((t) => t.memberId)]);
  const rowParent = parentRowId(old);
  if (rowParent !== undefined) ids.add(rowParent);
  return [...ids].map((id) => deleteAction(keys.memberChild(id, member.memberId)));
}

/** What upstream says of a member (MemberUpserted); the store adds the derived fields. */
export interface MemberProfile {
  memberId: number;
  identityId: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  jobTitle?: string | undefined;
  participantUid?: string | undefined;
  parentMemberId?: number | undefined;
  isActive?: boolean | undefined;
  version: number;
}

/** The member item: upstream's fields, its ancestors, the picture flag carried over, the next revision and logical time. */
function memberItem(
  profile: MemberProfile,
  previous: MemberItem | undefined,
  now: string,
  derived: { ancestors: Ancestors; reorg?: ReorgLock | undefined; hlcFloor?: number | undefined },
): MemberItem {
  return {
    ...keys.member(profile.memberId),
    sk: 'MEMBER',
    type: 'Member',
    memberId: profile.memberId,
    identityId: profile.identityId,
    ...(profile.firstName !== undefined && { firstName: profile.firstName }),
    ...(profile.lastName !== undefined && { lastName: profile.lastName }),
    ...(profile.email !== undefined && { email: profile.email }),
    ...(profile.phone !== undefined && { phone: profile.phone }),
    ...(profile.jobTitle !== undefined && { jobTitle: profile.jobTitle }),
    ...(profile.participantUid !== undefined && { participantUid: profile.participantUid }),
    ...(profile.parentMemberId !== undefined && { parentMemberId: profile.parentMemberId }),
    ancestors: [...derived.ancestors],
    isActive: profile.isActive ?? true,
    hasPicture: isLive(previous) ? previous.hasPicture : false,
    version: profile.version,
    rev: (revOf(previous) ?? 0) + 1,
    hlc: nextHlc(previous, derived.hlcFloor),
    ...(derived.reorg && { reorg: derived.reorg }),
    updatedAt: now,
  };
}

/** A deleted member: its version kept (an older event arriving later is ignored), its parent kept for walks through it. */
function tombstoneItem(
  member: Pick<MemberItem, 'memberId' | 'identityId' | 'parentMemberId'>,
  version: number,
  now: string,
  cleanupDone: boolean,
): MemberItem {
  return {
    ...keys.member(member.memberId),
    sk: 'MEMBER',
    type: 'Member',
    memberId: member.memberId,
    identityId: member.identityId,
    ...(member.parentMemberId !== undefined && { parentMemberId: member.parentMemberId }),
    isActive: false,
    hasPicture: false,
    version,
    deleted: true,
    cleanupDone,
    updatedAt: now,
  };
}

/** The identity of a member (its stamps carried over from `previous`, raised to `reachStamp` when given). */
function identityItem(profile: MemberProfile, previous: IdentityItem | undefined, reachStamp?: number): IdentityItem {
  const stamp = Math.max(previous?.reachStamp ?? 0, reachStamp ?? 0);
  return {
    ...keys.identity(profile.identityId),
    sk: 'IDENTITY',
    type: 'Identity',
    identityId: profile.identityId,
    memberId: profile.memberId,
    ...(profile.participantUid !== undefined && { participantUid: profile.participantUid }),
    isActive: profile.isActive ?? true,
    version: (previous?.version ?? 0) + 1,
    ...(stamp > 0 && { reachStamp: stamp }),
    ...(previous?.levelStamp !== undefined && { levelStamp: previous.levelStamp }),
  };
}

/** A deleted member's assignments are all gone: its tombstone says so (only a tombstone). */
export const cleanupDonePlan = (memberId: number): Plan => [
  updateAction(keys.member(memberId), {
    set: [[['cleanupDone'], true]],
    increment: [[['rev'], 1]],
    condition: { ConditionExpression: 'attribute_exists(pk) AND deleted = :t', ExpressionAttributeValues: { ':t': true } },
  }),
];

/** Writes a member's item (see memberItem), conditioned on the revision of `previous` as read. */
export const memberPlan = (profile: MemberProfile, previous: MemberItem | undefined, now: string, derived: Parameters<typeof memberItem>[3]): Plan => [
  putAction(memberItem(profile, previous, now, derived), cond.revIs(revOf(previous))),
];

/** The identity writes of a member's change: in place, or under a new identity id (the old one goes). */
export function identityPlan(profile: MemberProfile, identity: IdentityItem | undefined, reachStamp?: number): Plan {
  const next = identityItem(profile, identity, reachStamp);
  if (identity && identity.identityId !== profile.identityId) {
    return [deleteAction(keys.identity(identity.identityId), cond.versionIs(identity.version)), putAction(next, cond.absent())];
  }
  return [putAction(next, cond.versionIs(identity?.version))];
}

/**
 * Where a member now hangs: its child row under the live parent (whose revision must not change before the commit:
 * a reorganisation locking it would), or under the unknown id it waits for (counted, and that id must still be unknown).
 */
export function placePlan(parent: ResolvedParent, memberId: number): Plan {
  const rowParent = parentRowId(parent);
  const actions: Action[] = rowParent === undefined ? [] : [putAction(childRow(rowParent, memberId))];
  if (parent.live) actions.push(checkAction(keys.member(parent.live.memberId), cond.revIs(revOf(parent.live))));
  if (parent.unknownId !== undefined) {
    actions.push(checkAction(keys.member(parent.unknownId), cond.absent()));
    actions.push(updateAction(keys.waitingChildren(parent.unknownId), { set: [[['type'], 'WaitingChildren'], [['memberId'], parent.unknownId]], increment: [[['version'], 1]] }));
  }
  // Tombstones passed on the way: a re-created member there would change where the member hangs.
  for (const tombstone of parent.passed) actions.push(checkAction(keys.member(tombstone.memberId), cond.revIs(revOf(tombstone))));
  return actions;
}

/** The count of children waiting for a member id is still as read (none: no child waited). */
export const waitingUnchangedPlan = (memberId: number, waiting: WaitingChildrenItem | undefined): Plan => [
  checkAction(keys.waitingChildren(memberId), cond.versionIs(waiting?.version)),
];

/** The tombstone of a member never seen (its deletion arrived first): the version is recorded, nothing to clean up. */
export const unknownTombstonePlan = (memberId: number, version: number, now: string): Plan => [
  putAction({ ...tombstoneItem({ memberId, identityId: '' }, version, now, true), rev: 1, hlc: nextHlc(undefined) }, cond.absent()),
];

/** A later deletion of a member already deleted: only its version is recorded. */
export const tombstoneVersionPlan = (member: MemberItem, version: number): Plan => [
  updateAction(keys.member(member.memberId), { set: [[['version'], version], [['hlc'], nextHlc(member)]], increment: [[['rev'], 1]], condition: cond.revIs(revOf(member)) }),
];

/**
 * A member deleted: its tombstone (its ancestors kept and the reorganisation's lock on it, conditioned on the
 * revision as locked), its identity (conditioned on the version read) and its picture go.
 */
export const deletionPlan = (member: MemberItem, identity: IdentityItem, version: number, now: string, lock: ReorgLock): Plan => [
  putAction({ ...tombstoneItem(member, version, now, false), ancestors: ancestorsOf(member), rev: revOf(member)! + 1, hlc: nextHlc(member), reorg: lock }, cond.revIs(revOf(member))),
  deleteAction(keys.identity(identity.identityId), cond.versionIs(identity.version)),
  deleteAction(keys.memberPicture(member.memberId)),
];

/**
 * A member's picture (none: removed) under its own version sequence (conditioned on the version read), and the
 * member's flag of it (conditioned on its revision).
 */
export const picturePlan = (
  member: MemberItem,
  previous: MemberPictureItem | undefined,
  image: { bytes: Uint8Array; contentType: string } | undefined,
  version: number,
): Plan => [
  putAction(
    {
      ...keys.memberPicture(member.memberId),
      sk: 'PICTURE',
      type: 'MemberPicture',
      memberId: member.memberId,
      ...(image && { image: image.bytes, contentType: image.contentType }),
      version,
    } satisfies MemberPictureItem,
    cond.versionIs(previous?.version),
  ),
  updateAction(keys.member(member.memberId), {
    set: [[['hasPicture'], image !== undefined], [['hlc'], nextHlc(member)]],
    increment: [[['rev'], 1]],
    condition: cond.revIs(revOf(member)),
  }),
];

/** None of the members is a tombstone when the transaction commits (a member never written passes). */
export const notDeletedPlan = (memberIds: readonly number[]): Plan =>
  memberIds.map((memberId) => checkAction(keys.member(memberId), { ConditionExpression: 'attribute_not_exists(deleted) OR deleted <> :deleted', ExpressionAttributeValues: { ':deleted': true } }));

