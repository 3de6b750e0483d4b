// The local stand-in for the `project` function on a test table, as `npm start` runs it: the table's stream → the
// lookups' reach index. verify-table judges the index, so a test that verifies a table projects it first.
import { startStreamTail } from '../../infra/local/stream-tail.js';
import { projectChanges } from '../../lib/use-cases/reach-projection.js';
import type { TestDb } from './db.js';

export interface Projection {
  /** Resolves once every change committed so far is in the reach index. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProjection(db: TestDb): Promise<Projection> {
  const tail = await startStreamTail({ endpoint: db.endpoint, tableName: db.tableName, pollIntervalMs: 50, onChanges: async (changes) => void (await projectChanges(db, changes)) });
  return { caughtUp: () => tail.caughtUp(), stop: () => tail.stop() };
}
