// A whole-table snapshot for tests that prove "nothing changed" (Scan is fine here: tests only, never a request path).
import type { Db } from '../../lib/store/client.js';

export async function snapshot(db: Db): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.doc.scan({ TableName: db.tableName, ConsistentRead: true, ...(start && { ExclusiveStartKey: start }) });
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey;
  } while (start);
  items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
  return JSON.stringify(items, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}
