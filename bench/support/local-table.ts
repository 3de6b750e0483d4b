// DynamoDB Local (or DYNAMODB_ENDPOINT) with a fresh table holding the demo data, for the benchmarks.
export interface LocalTable {
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

/** DynamoDB Local (or DYNAMODB_ENDPOINT) with a fresh table holding the demo data. */
export async function localTable(): Promise<LocalTable> {
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb-local.js');
  const { ensureTable } = await import('../../infra/local/table-setup.js');
  const { localHandlers } = await import('../../infra/local/handlers.js');
  const { loadDemo } = await import('../../infra/local/demo-loader.js');
  const { loadSettings } = await import('../../lib/config.js');
  const { createDb } = await import('../../lib/store/client.js');
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    dynamo = await startDynamoDbLocal();
    endpoint = dynamo.endpoint;
  }
  const tableName = `crs-bench-${Date.now().toString(36)}`;
  await ensureTable(endpoint, tableName);
  const db = createDb({ tableName, endpoint });
  await loadDemo(db, localHandlers({ settings: { ...loadSettings({}), tableName, dynamodbEndpoint: endpoint }, db }).ingest);
  db.doc.destroy();
  return { endpoint, tableName, stop: async () => void (await dynamo?.stop()) };
}
