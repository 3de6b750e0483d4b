// MemberDeleted: the member becomes a tombstone, its children move up to where it hung (a reorganisation of its
// subtree, see ../hierarchy.ts), then its assignments are removed.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { StoreConflict, commit, retryOnConflict } from '../../store/plans.js';
import type { ReorgLock } from '../../store/items.js';
import { assignedContactIds } from '../../store/contacts.js';
import {
  ancestorsOf,
  childRowDeletes,
  cleanupDonePlan,
  deletionPlan,
  getIdentity,
  getMember,
  tombstoneVersionPlan,
  unknownTombstonePlan,
} from '../../store/members.js';
import type { memberDeleted } from '../../events/inbound.js';
import { removeAssignment } from '../assignments.js';
import { finishReorg, lockOfOtherChange, lockSubtrees, reorgStamp, stampReach, waitForReorg } from '../hierarchy.js';
import { applied, ignored, stale, type Outcome } from './outcome.js';

export async function applyMemberDeleted(db: Db, e: z.infer<typeof memberDeleted>, now: string): Promise<Outcome> {
  const outcome = await retryOnConflict(async (): Promise<Outcome | 'cleanup'> => {
    const member = await getMember(db, e.memberId);
    if (!member) {
      await commit(db, unknownTombstonePlan(e.memberId, e.version, now));
      return ignored('unknown member; version recorded');
    }
    if (member.version >= e.version) {
      // A redelivered deletion whose reorganisation or clean-up did not finish finishes them now.
      if (member.deleted && member.reorg?.rootId === member.memberId) await finishReorg(db, member.memberId);
      return member.deleted && !member.cleanupDone ? 'cleanup' : stale(member.version, e.version);
    }
    if (member.deleted) {
      await commit(db, tombstoneVersionPlan(member, e.version));
      return ignored('member already deleted; version recorded');
    }
    const other = lockOfOtherChange(member, e.version);
    if (other) return waitForReorg(db, other, now);
    const identity = await getIdentity(db, member.identityId);
    if (!identity) throw new Error(`member ${member.memberId} has no identity item`);

    // The subtree is locked first: its lists lose the deleted member, and nothing attaches below it meanwhile.
    const lock: ReorgLock = member.reorg ?? { rootId: member.memberId, kind: 'delete', since: now, version: e.version };
    const locked = await lockSubtrees(db, [{ memberId: member.memberId, parentId: 0 }], lock, now);
    const self = locked.levels[0]?.[0]?.item;
    if (!self) throw new StoreConflict([`member ${member.memberId} changed while it was locked`]);
    // Its ancestors lose it (the members below it stay below them): their checks stop trusting older copies.
    await stampReach(db, ancestorsOf(self), reorgStamp(locked));
    await commit(
      db,
      deletionPlan(self, identity, e.version, now, lock),
      // It is nobody's child any more (its own children take its place in finishReorg).
      await childRowDeletes(db, member),
    );
    // Children move up to where it hung (their declared parent, child rows and lists follow), then the tombstone unlocks.
    await finishReorg(db, member.memberId);
    return 'cleanup';
  });
  if (outcome !== 'cleanup') return outcome;
  await removeAllAssignments(db, e.memberId, now);
  return applied();
}

/** After a deletion: every assignment of the member is removed (contact by contact), then the tombstone says so. */
async function removeAllAssignments(db: Db, memberId: number, now: string): Promise<void> {
  for (const contactId of await assignedContactIds(db, memberId)) await removeAssignment(db, contactId, memberId, now);
  await commit(db, cleanupDonePlan(memberId)).catch(() => undefined);
}
