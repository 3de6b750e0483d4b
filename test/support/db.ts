// A fresh table per test file on the shared DynamoDB Local, and a counter of DynamoDB requests and round trips.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../lib/store/client.js';
import { ensureTable } from '../../infra/local/table-setup.js';
import { attachRequestLog, type RequestLog } from '../../lib/store/request-log.js';

export { attachRequestLog, type RequestLog };

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
