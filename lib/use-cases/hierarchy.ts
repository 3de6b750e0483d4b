// Reorganisations of the member hierarchy: a move, an adoption (a parent arriving after its children) or a deletion
// changes the ancestor lists of a whole subtree. However large, it runs as: lock the subtree (top-down), validate,
// commit the change itself, then rewrite and unlock the subtree (top-down), in as many writes as it takes.
//
// Safety while in flight: every member's list is either its old one or its new one, and checks read the lists of
// assigned members one by one, so a check grants only what the old or the new tree grants. Writers that would
// attach below a locked member wait (their parent is locked, so its list may be about to change); moves and
// deletions do not start inside a locked subtree. A reorganisation left half-done (a crash, a timeout) is finished
// from the truth — the parents and child rows — by its redelivered event or by any writer that meets an old lock,
// so finishing twice or concurrently changes nothing.
import type { Db } from '../store/client.js';
import { StoreConflict, commit, forEachConcurrently } from '../store/plans.js';
import type { MemberItem, ReorgLock } from '../store/items.js';
import {
  ancestorsOf,
  ancestryAction,
  childIdsOfMany,
  getMember,
  getMembersMany,
  isLive,
  moveChildRowPlan,
  nextHlc,
  parentRowId,
  resolveParent,
  revOf,
  writeAncestry,
  writeLock,
  writeReachStamp,
} from '../store/members.js';
import { ancestorsBelow, MAX_CHAIN_LENGTH, type Ancestors } from '../domain/member-hierarchy.js';

/** A lock older than this is taken for abandoned (its writer crashed or timed out): whoever meets it finishes it. */
export const STALE_LOCK_MS = 60_000;
const WRITE_CONCURRENCY = 25;
/** Attempts at one member's write that keeps losing to other writers before the reorganisation gives up (and is retried). */
const MEMBER_ATTEMPTS = 5;

/** A writer met a reorganisation in flight: retried (with backoff) like any lost race, and by the event transport after that. */
export class ReorgInFlight extends StoreConflict {
  constructor(readonly lock: ReorgLock) {
    super([`reorganisation of member ${lock.rootId} in flight`]);
    this.name = 'ReorgInFlight';
  }
}

/** A lock of another reorganisation than `ownRootId` (none when the member is unlocked or locked by it). */
export const foreignLock = (member: MemberItem | undefined, ownRootId?: number): ReorgLock | undefined =>
  member?.reorg && member.reorg.rootId !== ownRootId ? member.reorg : undefined;

/**
 * The root's own reorganisation started by the event of `version` (a redelivery resumes it), else undefined. A lock
 * of the same root taken by another version is another change in flight: see `lockOfOtherChange`.
 */
export const resumableLock = (member: MemberItem | undefined, version: number): ReorgLock | undefined =>
  member?.reorg && member.reorg.rootId === member.memberId && (member.reorg.version ?? version) === version ? member.reorg : undefined;

/** A lock on the member held by any change but the event of `version` of this same member. */
export const lockOfOtherChange = (member: MemberItem | undefined, version: number): ReorgLock | undefined =>
  member?.reorg && !resumableLock(member, version) ? member.reorg : undefined;

/**
 * Refuses to go on below a member locked by a reorganisation in flight; an abandoned one is finished first (then
 * the caller's retry finds the member unlocked).
 */
export async function waitForReorg(db: Db, lock: ReorgLock, now: string): Promise<never> {
  if (Date.parse(now) - Date.parse(lock.since) >= STALE_LOCK_MS) await finishReorg(db, lock.rootId);
  throw new ReorgInFlight(lock);
}

/** The members of the locked subtrees, level by level (roots first), each with its parent and its item as locked. */
export interface LockedSubtrees {
  levels: { memberId: number; parentId: number; item: MemberItem }[][];
  /** Levels below the roots (0 when the roots are leaves). */
  height: number;
}

/**
 * Locks every member of the subtrees under `roots` (each with its parent: the member the subtree hangs from).
 * Level by level: the members are locked, then their children are read, so a child attached before its parent's lock
 * is found and one attached after it had to wait. A member locked by another reorganisation aborts the whole pass
 * (what was locked here is released) with ReorgInFlight.
 */
export async function lockSubtrees(db: Db, roots: readonly { memberId: number; parentId: number }[], lock: ReorgLock, now: string): Promise<LockedSubtrees> {
  const levels: LockedSubtrees['levels'] = [];
  let frontier = [...roots];
  try {
    for (let depth = 0; frontier.length > 0; depth++) {
      if (depth > 4 * MAX_CHAIN_LENGTH) throw new Error(`subtree under member ${lock.rootId} deeper than any chain`);
      const items = await getMembersMany(db, frontier.map((f) => f.memberId));
      // The level is recorded before its members are locked, so a failure part-way releases every lock taken.
      const level: LockedSubtrees['levels'][number] = [];
      levels.push(level);
      await forEachConcurrently(frontier, WRITE_CONCURRENCY, async ({ memberId, parentId }) => {
        const item = await lockMember(db, items.get(memberId), memberId, lock, now);
        if (item) level.push({ memberId, parentId, item });
      });
      const children = await childIdsOfMany(db, level.map((m) => m.memberId));
      frontier = level.flatMap((m) => (children.get(m.memberId) ?? []).map((c) => ({ memberId: c, parentId: m.memberId })));
    }
  } catch (error) {
    await unlockSubtrees(db, { levels, height: levels.length - 1 }, lock.rootId);
    throw error;
  }
  return { levels, height: Math.max(0, levels.length - 1) };
}

async function lockMember(db: Db, read: MemberItem | undefined, memberId: number, lock: ReorgLock, now: string): Promise<MemberItem | undefined> {
  let member = read;
  for (let attempt = 0; ; attempt++) {
    // A child row whose member is gone (deleted meanwhile): nothing to lock below it.
    if (!member) return undefined;
    const other = foreignLock(member, lock.rootId);
    if (other) return waitForReorg(db, other, now);
    try {
      const hlc = nextHlc(member);
      await writeLock(db, member, lock, hlc);
      return { ...member, reorg: lock, rev: revOf(member)! + 1, hlc };
    } catch (error) {
      if (!(error instanceof StoreConflict) || attempt >= MEMBER_ATTEMPTS) throw error;
      member = await getMember(db, memberId);
    }
  }
}

/**
 * The logical time of a reorganisation whose subtrees are locked: later than every lock (so later than every list a
 * copy was taken from before the lock) — what the members whose reach changes are stamped with.
 */
export const reorgStamp = (locked: LockedSubtrees | undefined): number =>
  Math.max(Date.now(), ...(locked?.levels.flat().map((m) => (m.item.hlc ?? 0) + 1) ?? []));

/**
 * Stamps the identities of the given members (those whose set of descendants the reorganisation changes) before
 * any list changes: from then on their checks read the lists instead of trusting older copies.
 */
export async function stampReach(db: Db, memberIds: readonly number[], stamp: number, field: 'reachStamp' | 'levelStamp' = 'reachStamp'): Promise<void> {
  if (memberIds.length === 0) return;
  const members = await getMembersMany(db, memberIds);
  await Promise.all(
    [...members.values()].filter(isLive).map(async (member) => {
      try {
        await writeReachStamp(db, member.identityId, stamp, field);
      } catch (error) {
        // Already stamped later, or the identity is gone (nothing to protect): either way nothing to do.
        if (!(error instanceof StoreConflict)) throw error;
      }
    }),
  );
}

/** Releases the locks of a pass that is given up (a rejected change, or a conflict): nothing else changes. */
export async function unlockSubtrees(db: Db, subtrees: LockedSubtrees, rootId: number): Promise<void> {
  for (const level of subtrees.levels) {
    await forEachConcurrently(level, WRITE_CONCURRENCY, async ({ memberId }) => {
      for (let attempt = 0; attempt < MEMBER_ATTEMPTS; attempt++) {
        const member = await getMember(db, memberId);
        if (!member || member.reorg?.rootId !== rootId) return;
        try {
          await writeAncestry(db, member, { ancestors: ancestorsOf(member) });
          return;
        } catch (error) {
          if (!(error instanceof StoreConflict)) throw error;
        }
      }
    });
  }
}

/**
 * Finishes the reorganisation started by `rootId`, from the truth: every member below it gets the ancestors its
 * parent implies and loses the lock. For a deletion (the root is a tombstone) its children first move to where it
 * hung (their declared parent and child row follow). Idempotent; safe beside another finisher of the same one.
 */
export async function finishReorg(db: Db, rootId: number): Promise<void> {
  const root = await getMember(db, rootId);
  if (root?.deleted) {
    await finishDeletion(db, root);
    return;
  }
  // A move or adoption that committed: the root's own list was written by the commit. One that never committed: the
  // root's list is still right (its parent did not change), or the root does not exist yet (its children keep none).
  const parentAncestors = root && isLive(root) ? ancestorsOf(root) : undefined;
  await rewriteBelow(db, rootId, [{ parentId: rootId, ancestors: parentAncestors === undefined ? [] : ancestorsBelow({ memberId: rootId, ancestors: parentAncestors }) }]);
  // The root lets go last, so until everything below it is done a redelivery or a helper knows there is work left.
  if (root?.reorg?.rootId === rootId) await rewriteMember(db, rootId, rootId, (current) => ancestorsOf(current));
}

/** A deleted member's children hang where it hung: declared parent, child row and ancestors follow, then their subtrees. */
async function finishDeletion(db: Db, tombstone: MemberItem): Promise<void> {
  const rootId = tombstone.memberId;
  const parent = await resolveParent(db, tombstone.parentMemberId);
  const other = foreignLock(parent.live, rootId);
  if (other) throw new ReorgInFlight(other);
  const newParentRow = parentRowId(parent);
  const ancestors = parent.live ? ancestorsBelow({ memberId: parent.live.memberId, ancestors: ancestorsOf(parent.live) }) : [];
  const children = (await childIdsOfMany(db, [rootId])).get(rootId) ?? [];
  const items = await getMembersMany(db, children);
  await forEachConcurrently(children, WRITE_CONCURRENCY, async (childId) => {
    let child = items.get(childId);
    for (let attempt = 0; ; attempt++) {
      // The row moves with the child in one transaction, so a redelivery never finds a child under two parents.
      const moveRow = moveChildRowPlan(rootId, newParentRow, childId);
      if (!child || foreignLock(child, rootId)) {
        await commit(db, moveRow);
        return;
      }
      try {
        await commit(db, [ancestryAction(child, { ancestors, parentMemberId: tombstone.parentMemberId ?? null })], moveRow);
        return;
      } catch (error) {
        if (!(error instanceof StoreConflict) || attempt >= MEMBER_ATTEMPTS) throw error;
        child = await getMember(db, childId);
      }
    }
  });
  await rewriteBelow(db, rootId, children.map((c) => ({ parentId: c, ancestors: [c, ...ancestors] })));
  // Every child is done: the tombstone lets go last, so until now a redelivery or a helper knows there is work left.
  await rewriteMember(db, rootId, rootId, (current) => ancestorsOf(current));
}

/**
 * Top-down from the given parents (each with the ancestors its children get): every child locked by this
 * reorganisation, or with a list that differs, is rewritten and unlocked; members locked by another one are left to
 * it (it owns their subtrees from then on).
 */
async function rewriteBelow(db: Db, rootId: number, parents: { parentId: number; ancestors: Ancestors }[]): Promise<void> {
  let frontier = parents;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth > 4 * MAX_CHAIN_LENGTH) throw new Error(`subtree under member ${rootId} deeper than any chain`);
    const children = await childIdsOfMany(db, frontier.map((p) => p.parentId));
    const next: { parentId: number; ancestors: Ancestors }[] = [];
    const pairs = frontier.flatMap((p) => (children.get(p.parentId) ?? []).map((childId) => ({ childId, ancestors: p.ancestors })));
    await forEachConcurrently(pairs, WRITE_CONCURRENCY, async ({ childId, ancestors }) => {
      if (await rewriteMember(db, childId, rootId, () => ancestors)) next.push({ parentId: childId, ancestors: [childId, ...ancestors] });
    });
    frontier = next;
  }
}

/**
 * Gives one member the list `target()` and lifts this reorganisation's lock, unless it already has both. Returns
 * false when the member is gone or locked by another reorganisation (which owns its subtree from now on).
 */
async function rewriteMember(db: Db, memberId: number, rootId: number, target: (current: MemberItem) => Ancestors): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const member = await getMember(db, memberId);
    if (!member || (member.deleted && member.memberId !== rootId)) return false;
    if (foreignLock(member, rootId)) return false;
    const ancestors = target(member);
    const same = member.reorg === undefined && sameList(ancestorsOf(member), ancestors) && member.ancestors !== undefined;
    if (same) return true;
    try {
      await writeAncestry(db, member, { ancestors });
      return true;
    } catch (error) {
      if (!(error instanceof StoreConflict) || attempt >= MEMBER_ATTEMPTS) throw error;
    }
  }
}

const sameList = (a: Ancestors, b: Ancestors) => a.length === b.length && a.every((x, i) => x === b[i]);
