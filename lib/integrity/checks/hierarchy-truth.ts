// Where every live member hangs according to the truth — the declared parents — for the hierarchy checks.
import type { MemberItem } from '../../store/items.js';
import { placeMembers } from '../../store/migrations/release-0.2.js';
import type { TableSnapshot } from '../snapshot.js';

export interface Placement {
  /** Live ancestors, nearest first (deleted members passed through, an unknown id ends the chain). */
  ancestors: number[];
  /** The id its child row lives under: the first live ancestor, or the unknown id it waits for. */
  rowParent: number | undefined;
  /** Every id on its declared chain (the items the placement was judged from). */
  chain: number[];
}

/** Members a reorganisation is rewriting (any lock): their lists and rows are in flight, judged once it is done. */
export const isLocked = (member: MemberItem | undefined) => member?.reorg !== undefined;

const cache = new WeakMap<TableSnapshot, Map<number, Placement>>();

/** The placement of every live member (computed once per snapshot). */
export function placements(snapshot: TableSnapshot): Map<number, Placement> {
  let out = cache.get(snapshot);
  if (out) return out;
  out = new Map();
  for (const [memberId, placed] of placeMembers(snapshot.members)) {
    const chain: number[] = [];
    const seen = new Set([memberId]);
    for (let next = snapshot.members.get(memberId)?.parentMemberId; next !== undefined && !seen.has(next) && chain.length < 40; ) {
      seen.add(next);
      chain.push(next);
      next = snapshot.members.get(next)?.parentMemberId;
    }
    out.set(memberId, { ...placed, chain });
  }
  cache.set(snapshot, out);
  return out;
}
