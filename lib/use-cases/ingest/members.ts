// MemberUpserted (hierarchy: late parents, cycles, depth), MemberDeleted (children move up) and their closures.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { keys } from '../../store/keys.js';
import {
  MAX_TRANSACTION_ACTIONS,
  checkAction,
  chunked,
  cond,
  deleteAction,
  putAction,
  queryPrefix,
  retryOnConflict,
  transact,
  updateAction,
  type WriteAction,
} from '../../store/ops.js';
import type { IdentityItem, MemberAssignmentItem, MemberChildrenItem, MemberItem } from '../../store/items.js';
import {
  CycleDetected,
  descendantsOf,
  getChildren,
  getIdentitiesMany,
  getIdentity,
  getMember,
  getMembersMany,
  isLive,
  walkChain,
  type Ancestor,
  type Chain,
} from '../../store/members.js';
import {
  checkAttach,
  closureFromChildren,
  closureToMap,
  subtreeOf,
  withMemberRemoved,
  withSubtree,
  withoutSubtree,
  type Closure,
} from '../../domain/member-hierarchy.js';
import type { memberUpserted, memberDeleted } from '../../events/inbound.js';
import { removeAssignment } from '../assignments.js';
import { applied, ignored, rejected, stale, type Outcome } from './outcome.js';

type MemberUpserted = z.infer<typeof memberUpserted>;

export async function applyMemberUpserted(db: Db, e: MemberUpserted, now: string): Promise<Outcome> {
  try {
    return await retryOnConflict(() => upsertOnce(db, e, now));
  } catch (error) {
    if (error instanceof CycleDetected) return rejected(`cycle: member ${e.memberId} cannot have parent ${e.parentMemberId}`);
    throw error;
  }
}

async function upsertOnce(db: Db, e: MemberUpserted, now: string): Promise<Outcome> {
  const existing = await getMember(db, e.memberId);
  if (existing && existing.version >= e.version) return stale(existing.version, e.version);
  const live = isLive(existing) ? existing : undefined;

  const [identity, identityTaken] = await Promise.all([
    live ? getIdentity(db, live.identityId) : Promise.resolve(undefined),
    getIdentity(db, e.identityId),
  ]);
  if (identityTaken && identityTaken.memberId !== e.memberId) {
    return rejected(`identity ${e.identityId} already belongs to member ${identityTaken.memberId}`);
  }
  if (live && !identity) throw new Error(`member ${e.memberId} has no identity item`);

  // The member's own closure: stored, or (first sight) assembled from children that arrived before it.
  const actions: WriteAction[] = [];
  let closure: Closure;
  if (identity) {
    closure = descendantsOf(identity);
  } else {
    const waiting = await waitingChildren(db, e.memberId, actions);
    closure = closureFromChildren(waiting);
  }

  const newChain = await walkChain(db, e.parentMemberId, e.memberId);
  // walkChain already threw CycleDetected if the new chain passes through the member itself.
  const violation = checkAttach({ memberId: e.memberId, closure, parentMemberId: e.parentMemberId, ancestorCount: newChain.ancestors.length });
  if (violation?.kind === 'cycle') return rejected(`cycle: member ${e.memberId} cannot have parent ${e.parentMemberId}`);
  if (violation?.kind === 'depth') {
    return rejected(`depth: the chain through member ${e.memberId} would hold ${violation.chainLength} members (max 10)`);
  }

  const oldChain: Chain | undefined = live ? await walkChain(db, live.parentMemberId) : undefined;
  const moved = !live || oldChain?.resolvedParentId !== newChain.resolvedParentId;

  const member: MemberItem = {
    ...keys.member(e.memberId),
    sk: 'MEMBER',
    type: 'Member',
    memberId: e.memberId,
    identityId: e.identityId,
    firstName: e.firstName,
    lastName: e.lastName,
    ...(e.email !== undefined && { email: e.email }),
    ...(e.phone !== undefined && { phone: e.phone }),
    ...(e.jobTitle !== undefined && { jobTitle: e.jobTitle }),
    ...(e.participantUid !== undefined && { participantUid: e.participantUid }),
    ...(e.parentMemberId !== undefined && { parentMemberId: e.parentMemberId }),
    isActive: e.isActive ?? true,
    hasPicture: live?.hasPicture ?? false,
    version: e.version,
    updatedAt: now,
  };
  actions.push(putAction(member, cond.versionIs(existing?.version)));

  const nextIdentity: IdentityItem = {
    ...keys.identity(e.identityId),
    sk: 'IDENTITY',
    type: 'Identity',
    identityId: e.identityId,
    memberId: e.memberId,
    ...(e.participantUid !== undefined && { participantUid: e.participantUid }),
    isActive: e.isActive ?? true,
    descendants: closureToMap(closure),
    // Bumped on every write, so a concurrent hierarchy change that read this member conflicts.
    version: (identity?.version ?? 0) + 1,
  };
  if (identity && identity.identityId !== e.identityId) {
    actions.push(deleteAction(keys.identity(identity.identityId), cond.versionIs(identity.version)));
    actions.push(putAction(nextIdentity, cond.absent()));
  } else {
    actions.push(putAction(nextIdentity, cond.versionIs(identity?.version)));
  }

  if (moved) {
    if (live && oldChain?.resolvedParentId !== undefined) {
      actions.push(await childrenChange(db, oldChain.resolvedParentId, { remove: [e.memberId] }));
    }
    if (newChain.resolvedParentId !== undefined) {
      actions.push(await childrenChange(db, newChain.resolvedParentId, { add: [e.memberId] }));
    }
    actions.push(...closureRewrites(subtreeOf(e.memberId, closure), oldChain?.ancestors ?? [], newChain.ancestors));
    actions.push(...(oldChain?.guards ?? []), ...newChain.guards);
  }
  await transact(db, dedupeGuards(actions));
  return applied();
}

/** Children that declared this member as parent before it arrived, with their closures (guards added to `actions`). */
async function waitingChildren(db: Db, memberId: number, actions: WriteAction[]): Promise<Map<number, Closure>> {
  const children = await getChildren(db, memberId);
  const ids = Object.keys(children?.children ?? {}).map(Number);
  // Guard: no child joins or leaves while the closure is assembled (the new child would miss the closure).
  actions.push(checkAction(keys.memberChildren(memberId), cond.versionIs(children?.version)));
  if (ids.length === 0) return new Map();
  const members = await getMembersMany(db, ids);
  const identities = await getIdentitiesMany(db, [...members.values()].filter(isLive).map((m) => m.identityId));
  const out = new Map<number, Closure>();
  for (const id of ids) {
    const member = members.get(id);
    if (!isLive(member)) continue;
    out.set(id, descendantsOf(identities.get(member.identityId)));
  }
  return out;
}

/** Rewrites the closures of the old ancestors (subtree removed) and the new ones (subtree added) of a moved member. */
function closureRewrites(
  subtree: ReadonlyMap<number, number>,
  oldAncestors: readonly Ancestor[],
  newAncestors: readonly Ancestor[],
): WriteAction[] {
  const next = new Map<number, { identity: IdentityItem; closure: Map<number, number> }>();
  for (const a of oldAncestors) {
    next.set(a.member.memberId, { identity: a.identity, closure: withoutSubtree(descendantsOf(a.identity), subtree) });
  }
  for (const a of newAncestors) {
    const base = next.get(a.member.memberId)?.closure ?? descendantsOf(a.identity);
    next.set(a.member.memberId, { identity: a.identity, closure: withSubtree(base, subtree, a.distance) });
  }
  return [...next.values()].map(({ identity, closure }) =>
    putAction({ ...identity, descendants: closureToMap(closure), version: identity.version + 1 }, cond.versionIs(identity.version)),
  );
}

/** Adds/removes children in a member's children item (created when absent), conditioned on its version. */
async function childrenChange(db: Db, parentId: number, change: { add?: number[]; remove?: number[] }): Promise<WriteAction> {
  const current = await getChildren(db, parentId);
  const children: Record<string, number> = { ...(current?.children ?? {}) };
  for (const id of change.add ?? []) children[String(id)] = 1;
  for (const id of change.remove ?? []) delete children[String(id)];
  const item: MemberChildrenItem = {
    ...keys.memberChildren(parentId),
    sk: 'CHILDREN',
    type: 'MemberChildren',
    memberId: parentId,
    children,
    version: (current?.version ?? 0) + 1,
  };
  return putAction(item, cond.versionIs(current?.version));
}

/** A ConditionCheck on an item the same transaction also writes is not allowed: keep the write. */
function dedupeGuards(actions: WriteAction[]): WriteAction[] {
  const written = new Set<string>();
  const keyOf = (a: WriteAction) => {
    const key = 'Put' in a ? (a.Put.Item as { pk: string; sk: string }) : 'Update' in a ? a.Update.Key : 'Delete' in a ? a.Delete.Key : a.ConditionCheck.Key;
    return `${key.pk}|${key.sk}`;
  };
  for (const a of actions) if (!('ConditionCheck' in a)) written.add(keyOf(a));
  const seen = new Set<string>();
  return actions.filter((a) => {
    const k = keyOf(a);
    if ('ConditionCheck' in a) {
      if (written.has(k) || seen.has(k)) return false;
    }
    seen.add(k);
    return true;
  });
}

export async function applyMemberDeleted(db: Db, e: z.infer<typeof memberDeleted>, now: string): Promise<Outcome> {
  const outcome = await retryOnConflict(async (): Promise<Outcome | 'cleanup'> => {
    const member = await getMember(db, e.memberId);
    if (!member) {
      const tombstone = tombstoneOf({ memberId: e.memberId, identityId: '', isActive: false, hasPicture: false }, e.version, now, true);
      await transact(db, [putAction(tombstone, cond.absent())]);
      return ignored('unknown member; version recorded');
    }
    if (member.version >= e.version) {
      // A redelivered deletion whose clean-up did not finish finishes it now.
      return member.deleted && !member.cleanupDone ? 'cleanup' : stale(member.version, e.version);
    }
    if (member.deleted) {
      await transact(db, [updateAction(keys.member(e.memberId), { set: [[['version'], e.version]], condition: cond.versionIs(member.version) })]);
      return ignored('member already deleted; version recorded');
    }
    const identity = await getIdentity(db, member.identityId);
    if (!identity) throw new Error(`member ${member.memberId} has no identity item`);
    const [chain, children] = await Promise.all([walkChain(db, member.parentMemberId), getChildren(db, member.memberId)]);
    const closure = descendantsOf(identity);

    const actions: WriteAction[] = [
      putAction(tombstoneOf(member, e.version, now, false), cond.versionIs(member.version)),
      deleteAction(keys.identity(identity.identityId), cond.versionIs(identity.version)),
      deleteAction(keys.memberPicture(member.memberId)),
      ...chain.ancestors.map((a) =>
        putAction(
          { ...a.identity, descendants: closureToMap(withMemberRemoved(descendantsOf(a.identity), member.memberId, closure)), version: a.identity.version + 1 },
          cond.versionIs(a.identity.version),
        ),
      ),
      ...chain.guards,
    ];
    // Children move up: they now hang where the deleted member hung (a live parent, a parent not known yet, or nowhere).
    const childIds = Object.keys(children?.children ?? {}).map(Number);
    if (children) actions.push(deleteAction(keys.memberChildren(member.memberId), cond.versionIs(children.version)));
    const parentChildren = chain.resolvedParentId !== undefined ? await getChildren(db, chain.resolvedParentId) : undefined;
    if (chain.resolvedParentId !== undefined) {
      const merged = { ...(parentChildren?.children ?? {}) };
      delete merged[String(member.memberId)];
      for (const id of childIds) merged[String(id)] = 1;
      actions.push(
        putAction(
          {
            ...keys.memberChildren(chain.resolvedParentId),
            sk: 'CHILDREN',
            type: 'MemberChildren',
            memberId: chain.resolvedParentId,
            children: merged,
            version: (parentChildren?.version ?? 0) + 1,
          } satisfies MemberChildrenItem,
          cond.versionIs(parentChildren?.version),
        ),
      );
    }
    // The children's own items now name the deleted member's parent, so a member re-created later under the same
    // id starts without children (until upstream says otherwise) and every walk agrees with the closures. Up to the
    // transaction limit this is part of the deletion; above it follows (walks pass through the tombstone meanwhile).
    const repoint = childIds.map((c) =>
      updateAction(keys.member(c), {
        ...(member.parentMemberId !== undefined ? { set: [[['parentMemberId'], member.parentMemberId]] } : { remove: [['parentMemberId']] }),
        condition: cond.exists(),
      }),
    );
    const commit = dedupeGuards(actions);
    if (commit.length + repoint.length <= MAX_TRANSACTION_ACTIONS) {
      await transact(db, [...commit, ...repoint]);
    } else {
      await transact(db, commit);
      for (const chunk of chunked(repoint, MAX_TRANSACTION_ACTIONS)) await transact(db, chunk).catch(() => undefined);
    }
    return 'cleanup';
  });
  if (outcome !== 'cleanup') return outcome;
  await removeAllAssignments(db, e.memberId, now);
  return applied();
}

function tombstoneOf(
  member: Pick<MemberItem, 'memberId' | 'identityId' | 'parentMemberId' | 'isActive' | 'hasPicture'>,
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

/** After a deletion: every assignment of the member is removed (contact by contact), then the tombstone says so. */
async function removeAllAssignments(db: Db, memberId: number, now: string): Promise<void> {
  const rows = await queryPrefix<MemberAssignmentItem & { pk: string; sk: string }>(db, `MEMBER#${memberId}`, keys.memberAssignmentPrefix);
  for (const row of rows) await removeAssignment(db, row.contactId, memberId, now);
  await transact(db, [
    updateAction(keys.member(memberId), { set: [[['cleanupDone'], true]], condition: { ConditionExpression: 'attribute_exists(pk) AND deleted = :t', ExpressionAttributeValues: { ':t': true } } }),
  ]).catch(() => undefined);
}
