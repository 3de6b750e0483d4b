// What a use case writes with: plans — the conditional actions of a change, built by the store module of each
// aggregate — concatenated and committed as one transaction (`commit`) or as a change larger than one
// (`commitChange`), and the retry of a change that lost a race.
import type { Db } from './client.js';
import { transact, type Action } from './transactions.js';
import { keyString } from './reads.js';

/** A write plan: only the store's builders make its actions (the type says so); use cases concatenate plans and commit them. */
export type Plan = readonly Action[];

/** Commits the plans as one transaction. Throws StoreConflict when a condition fails or a concurrent transaction interferes. */
export const commit = (db: Db, ...plans: Plan[]): Promise<void> => transact(db, plans.flat());

/** One action per item: a transaction may not name an item twice (a later action on the same key wins). */
export function dedupeByKey(plan: Plan): Plan {
  const keyOf = (a: Action) => keyString('Put' in a ? (a.Put.Item as { pk: string; sk: string }) : 'Update' in a ? a.Update.Key : 'Delete' in a ? a.Delete.Key : a.ConditionCheck.Key);
  const byKey = new Map<string, Action>();
  for (const a of plan) {
    const k = keyOf(a);
    const previous = byKey.get(k);
    // A write of an item beats a condition check on it.
    if (previous && 'ConditionCheck' in a && !('ConditionCheck' in previous)) continue;
    byKey.set(k, a);
  }
  return [...byKey.values()];
}

export { StoreConflict, commitChange, fitsOneTransaction, forEachConcurrently, retryOnConflict } from './transactions.js';
