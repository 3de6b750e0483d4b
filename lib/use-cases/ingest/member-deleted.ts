// MemberDeleted: the member becomes a tombstone, its children move up to where it hung (a reorganisation of its
// subtree, see ../hierarchy.ts), then its assignments are removed.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { StoreConflict, deleteAction, putAction, retryOnConflict, transact, updateAction } from '../../store/transactions.js';
import type { ReorgLock } from '../../store/items.js';
import { assignedContactIds } from '../../store/contacts.js';
import { ancestorsOf, childRowDeletes, cleanupDoneAction, getIdentity, getMember, nextHlc, revOf, tombstoneItem } from '../../store/members.js';
import type { memberDeleted } from '../../events/inbound.js';
import { removeAssignment } from '../assignments.js';
import { finishReorg, lockOfOtherChange, lockSubtrees, reorgStamp, stampReach, waitForReorg } from '../hierarchy.js';
import { applied, ignored, stale, type Outcome } from './outcome.js';

export async function applyMemberDeleted(db: Db, e: z.infer<typeof memberDeleted>, now: string): Promise<Outcome> {
  const outcome = await retryOnConflict(async (): Promise<Outcome | 'cleanup'> => {
    const member = await getMember(db, e.memberId);
    if (!member) {
      const tombstone = tombstoneItem({ memberId: e.memberId, identityId: '' }, e.version, now, true);
      await transact(db, [putAction({ ...tombstone, rev: 1, hlc: nextHlc(undefined) }, cond.absent())]);
      return ignored('unknown member; version recorded');
    }
    if (member.version >= e.version) {
      // A redelivered deletion whose reorganisation or clean-up did not finish finishes them now.
      if (member.deleted && member.reorg?.rootId === member.memberId) await finishReorg(db, member.memberId);
      return member.deleted && !member.cleanupDone ? 'cleanup' : stale(member.version, e.version);
    }
    if (member.deleted) {
      await transact(db, [
        updateAction(keys.member(e.memberId), { set: [[['version'], e.version], [['hlc'], nextHlc(member)]], increment: [[['rev'], 1]], condition: cond.revIs(revOf(member)) }),
      ]);
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
    await transact(db, [
      putAction({ ...tombstoneItem(self, e.version, now, false), ancestors: ancestorsOf(self), rev: revOf(self)! + 1, hlc: nextHlc(self), reorg: lock }, cond.revIs(revOf(self))),
      deleteAction(keys.identity(identity.identityId), cond.versionIs(identity.version)),
      deleteAction(keys.memberPicture(member.memberId)),
      // It is nobody's child any more (its own children take its place in finishReorg).
      ...(await childRowDeletes(db, member)),
    ]);
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
  await transact(db, [cleanupDoneAction(memberId)]).catch(() => undefined);
}
