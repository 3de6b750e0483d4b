// Member, identity and children items: reads, and the walk up a member's chain of ancestors.
import type { Db } from './client.js';
import { keys } from './keys.js';
import { batchGet, checkAction, cond, getItem, keyString, type WriteAction } from './ops.js';
import type { IdentityItem, MemberChildrenItem, MemberItem } from './items.js';
import { closureFromMap, MAX_CHAIN_LENGTH } from '../domain/member-hierarchy.js';



export const getMember = (db: Db, memberId: number) => getItem<MemberItem>(db, keys.member(memberId));
export const getIdentity = (db: Db, identityId: string) => getItem<IdentityItem>(db, keys.identity(identityId));
export const getChildren = (db: Db, memberId: number) => getItem<MemberChildrenItem>(db, keys.memberChildren(memberId));

export const isLive = (m: MemberItem | undefined): m is MemberItem => m !== undefined && m.deleted !== true;

export async function getMembersMany(db: Db, memberIds: readonly number[]): Promise<Map<number, MemberItem>> {
  const items = await batchGet(db, memberIds.map(keys.member));
  const out = new Map<number, MemberItem>();
  for (const id of memberIds) {
    const item = items.get(keyString(keys.member(id)));
    if (item) out.set(id, item as unknown as MemberItem);
  }
  return out;
}

export async function getIdentitiesMany(db: Db, identityIds: readonly string[]): Promise<Map<string, IdentityItem>> {
  const items = await batchGet(db, identityIds.map(keys.identity));
  const out = new Map<string, IdentityItem>();
  for (const item of items.values()) out.set((item as unknown as IdentityItem).identityId, item as unknown as IdentityItem);
  return out;
}

export interface Ancestor {
  member: MemberItem;
  identity: IdentityItem;
  /** 1 = the parent. */
  distance: number;
}

export interface Chain {
  /** Live ancestors, nearest first. */
  ancestors: Ancestor[];
  /**
   * Where the member hangs: the first live ancestor, or a member id not known yet (its children wait for it),
   * or undefined for a root.
   */
  resolvedParentId: number | undefined;
  /** Conditions on what the walk read but the change does not write (deleted members passed, a missing top). */
  guards: WriteAction[];
}

/**
 * Walks up from a declared parent: deleted members are passed through (their children moved up to their parent),
 * a member id not known yet ends the chain. Sequential reads bounded by the chain length (<= 10 live members).
 */
export async function walkChain(db: Db, declaredParentId: number | undefined, self?: number): Promise<Chain> {
  const ancestors: Ancestor[] = [];
  const guards: WriteAction[] = [];
  let resolvedParentId: number | undefined;
  const seen = new Set<number>();
  let next = declaredParentId;
  while (next !== undefined) {
    // A chain that comes back to the member itself or loops is a cycle; the caller rejects it.
    if (seen.has(next) || next === self || seen.size > 4 * MAX_CHAIN_LENGTH) {
      throw new CycleDetected(next);
    }
    seen.add(next);
    const member = await getMember(db, next);
    if (!member) {
      guards.push(checkAction(keys.member(next), cond.absent()));
      resolvedParentId ??= next;
      break;
    }
    if (member.deleted) {
      guards.push(checkAction(keys.member(next), cond.versionIs(member.version)));
      next = member.parentMemberId;
      continue;
    }
    const identity = await getIdentity(db, member.identityId);
    if (!identity) throw new Error(`member ${member.memberId} has no identity item`);
    resolvedParentId ??= member.memberId;
    ancestors.push({ member, identity, distance: ancestors.length + 1 });
    next = member.parentMemberId;
  }
  return { ancestors, resolvedParentId, guards };
}

export class CycleDetected extends Error {
  constructor(readonly at: number) {
    super(`cycle in the member hierarchy at member ${at}`);
  }
}

export const descendantsOf = (identity: Pick<IdentityItem, 'descendants'> | undefined) => closureFromMap(identity?.descendants);
