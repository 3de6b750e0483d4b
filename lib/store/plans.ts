// What a use case writes with: plans — the conditional actions of a change, built by the store module of each
// aggregate — concatenated and committed as one transaction (`commit`) or as a change larger than one
// (`commitChange`), and the retry of a change that lost a race.
import type { Db } from './client.js';
import { transact, type WriteAction } from './transactions.js';

/** A write plan: use cases concatenate plans and commit them; only the store builds them. */
export type Plan = readonly WriteAction[];

/** Commits the plans as one transaction. Throws StoreConflict when a condition fails or a concurrent transaction interferes. */
export const commit = (db: Db, ...plans: Plan[]): Promise<void> => transact(db, plans.flat());

export { StoreConflict, commitChange, fitsOneTransaction, forEachConcurrently, retryOnConflict } from './transactions.js';
