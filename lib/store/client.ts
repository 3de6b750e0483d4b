// DynamoDB document client factory. Functions create one at module scope (reused across invocations).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Db {
  readonly doc: DynamoDBDocumentClient;
  /** The low-level client under `doc` (for libraries that want one, e.g. the Powertools idempotency layer). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export function createDb(options: { tableName: string; endpoint?: string | undefined; region?: string }): Db {
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local && {
      endpoint: options.endpoint,
      region: options.region ?? 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    ...(!local && options.region && { region: options.region }),
    maxAttempts: 4,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { doc, client, tableName: options.tableName };
}
