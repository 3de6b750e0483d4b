// A fresh table per test file on the shared DynamoDB Local, and a counter of DynamoDB requests and round trips.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../lib/store/client.js';
import { ensureTable } from '../../infra/local/table-setup.js';

export interface RequestLog {
  /** Commands in the order they started. */
  readonly commands: string[];
  /** Sequential round trips: requests that started after every earlier request had finished. */
  rounds(): number;
  reset(): void;
}

export interface TestDb extends Db {
  readonly endpoint: string;
  readonly log: RequestLog;
}

export async function createTestDb(prefix = 'crs-test'): Promise<TestDb> {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName);
  const db = createDb({ tableName, endpoint });
  const log = attachRequestLog(db);
  return { ...db, endpoint, log };
}

/** Counts requests and sequential round trips through an SDK middleware (overlapping requests form one round). */
export function attachRequestLog(db: Db): RequestLog {
  const commands: string[] = [];
  let spans: { start: number; end: number }[] = [];
  let seq = 0;
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const span = { start: seq++, end: Number.POSITIVE_INFINITY };
      spans.push(span);
      commands.push(String(context.commandName ?? 'unknown'));
      try {
        return await next(args);
      } finally {
        span.end = seq++;
      }
    },
    { step: 'initialize', name: 'crsRequestLog' },
  );
  return {
    commands,
    rounds() {
      let rounds = 0;
      let frontier = -1;
      for (const span of [...spans].sort((a, b) => a.start - b.start)) {
        if (span.start > frontier) rounds++;
        frontier = Math.max(frontier, span.end);
      }
      return rounds;
    },
    reset() {
      commands.length = 0;
      spans = [];
    },
  };
}
