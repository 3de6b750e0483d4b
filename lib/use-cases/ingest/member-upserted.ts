// MemberUpserted: a member's profile, its place in the hierarchy (late parents, cycles, depth, moves) and the
// reorganisation a move or an adoption starts (see ../hierarchy.ts).
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { StoreConflict, commit, dedupeByKey, retryOnConflict } from '../../store/plans.js';
import type { ReorgLock } from '../../store/items.js';
import {
  CycleDetected,
  ancestorsOf,
  childIdsOf,
  childRowDeletes,
  getIdentity,
  getMember,
  getWaitingChildren,
  identityPlan,
  isLive,
  memberPlan,
  placePlan,
  resolveParent,
  waitingUnchangedPlan,
} from '../../store/members.js';
import { ancestorsBelow, ancestorsChanged, checkAttach } from '../../domain/member-hierarchy.js';
import type { memberUpserted } from '../../events/inbound.js';
import { finishReorg, foreignLock, lockOfOtherChange, lockSubtrees, resumableLock, reorgStamp, stampReach, unlockSubtrees, waitForReorg, type LockedSubtrees } from '../hierarchy.js';
import { applied, rejected, stale, type Outcome } from './outcome.js';

type MemberUpserted = z.infer<typeof memberUpserted>;

const cycle = (e: MemberUpserted) => rejected(`cycle: member ${e.memberId} cannot have parent ${e.parentMemberId}`);

export async function applyMemberUpserted(db: Db, e: MemberUpserted, now: string): Promise<Outcome> {
  try {
    return await retryOnConflict(() => upsertOnce(db, e, now));
  } catch (error) {
    if (error instanceof CycleDetected) return cycle(e);
    throw error;
  }
}

async function upsertOnce(db: Db, e: MemberUpserted, now: string): Promise<Outcome> {
  // One round for what most events need: the member, the identity it names, its declared parent, and (in case this
  // is the member's first arrival) the count of children that waited for it.
  const [existing, identityTaken, declaredParent, waiting] = await Promise.all([
    getMember(db, e.memberId),
    getIdentity(db, e.identityId),
    e.parentMemberId !== undefined && e.parentMemberId !== e.memberId ? getMember(db, e.parentMemberId) : undefined,
    getWaitingChildren(db, e.memberId),
  ]);
  if (existing && existing.version >= e.version) {
    // A redelivered event whose reorganisation did not finish finishes it (never redoes it).
    if (existing.reorg?.rootId === e.memberId) await finishReorg(db, e.memberId);
    return stale(existing.version, e.version);
  }
  const live = isLive(existing) ? existing : undefined;
  if (identityTaken && identityTaken.memberId !== e.memberId) {
    return rejected(`identity ${e.identityId} already belongs to member ${identityTaken.memberId}`);
  }
  const identity = live && live.identityId !== e.identityId ? await getIdentity(db, live.identityId) : live ? identityTaken : undefined;
  if (live && !identity) throw new Error(`member ${e.memberId} has no identity item`);

  if (live && live.parentMemberId === e.parentMemberId) {
    // Same place in the tree: the profile changes, the ancestors (and any reorganisation in flight) stay as they are.
    await commit(db, memberPlan(e, live, now, { ancestors: ancestorsOf(live), reorg: live.reorg }), identityPlan(e, identity));
    return applied();
  }
  // A lock this event took before (a redelivery resumes it); any other lock on the member, even one of its own
  // earlier change, is a change in flight to wait for (two changes of one subtree never run side by side).
  const ownLock = resumableLock(existing, e.version);
  const other = lockOfOtherChange(existing, e.version);
  if (other) return waitForReorg(db, other, now);

  // The new place: a live parent (its list is exact unless it is locked by a reorganisation in flight), an id not
  // known yet (the member waits for it as a root), or none.
  const parent = await resolveParent(db, e.parentMemberId, e.memberId, { item: declaredParent });
  const ancestors = parent.live ? ancestorsBelow({ memberId: parent.live.memberId, ancestors: ancestorsOf(parent.live) }) : [];
  if (e.parentMemberId === e.memberId || ancestors.includes(e.memberId)) return cycle(e);
  const parentLock = foreignLock(parent.live);
  if (parentLock) return waitForReorg(db, parentLock, now);

  // What moves with the member: its subtree (a live member), or the children that waited for it (first sight; read
  // after the count, so a child arriving between the two makes the commit fail and retry).
  const roots = live ? [{ memberId: e.memberId, parentId: 0 }] : (await childIdsOf(db, e.memberId)).map((c) => ({ memberId: c, parentId: e.memberId }));
  const lock: ReorgLock = ownLock ?? { rootId: e.memberId, kind: live ? 'move' : 'adopt', since: now, version: e.version };
  const locked: LockedSubtrees | undefined = roots.length > 0 ? await lockSubtrees(db, roots, lock, now) : undefined;
  const height = !locked ? 0 : live ? locked.height : locked.height + 1;
  const violation = checkAttach({ memberId: e.memberId, parentMemberId: e.parentMemberId, ancestors, height });
  if (violation) {
    if (locked) await unlockSubtrees(db, locked, lock.rootId);
    if (violation.kind === 'cycle') return cycle(e);
    return rejected(`depth: the chain through member ${e.memberId} would hold ${violation.chainLength} members (max 10)`);
  }

  const self = live ? locked?.levels[0]?.[0]?.item : existing;
  if (live && !self) throw new StoreConflict([`member ${e.memberId} changed while it was locked`]);
  // Who is above whom changes for these members: their checks stop trusting older copies of ancestor lists.
  const stamp = reorgStamp(locked);
  const stamped = live ? ancestorsChanged(ancestorsOf(self!), ancestors) : locked ? ancestors : [];
  await stampReach(db, stamped, stamp);
  // A move to another depth changes the levels between the ancestors it keeps and the moved members (not who sees whom).
  if (live && ancestorsOf(self!).length !== ancestors.length) await stampReach(db, ancestors.filter((a) => ancestorsOf(self!).includes(a)), stamp, 'levelStamp');
  // A member with a subtree to rewrite stays locked until that is done (finishReorg lifts its lock last).
  // One action per item: the child row the member leaves may be the one it takes (upstream names the deleted parent
  // it was moved up from: the same live parent behind the tombstone), and the put must win.
  await commit(
    db,
    dedupeByKey([
      ...memberPlan(e, self, now, { ancestors, hlcFloor: stamp + 1, reorg: locked ? lock : undefined }),
      ...identityPlan(e, identity, locked && !live ? stamp : undefined),
      ...(live ? await childRowDeletes(db, live) : []),
      ...placePlan(parent, e.memberId),
      ...(live ? [] : waitingUnchangedPlan(e.memberId, waiting)),
    ]),
  );
  if (locked) await finishReorg(db, e.memberId);
  return applied();
}
