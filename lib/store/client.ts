// DynamoDB document client factory. Functions create one at module scope (reused across invocations).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_TIMEOUTS, assertTimeForAttempt, type SdkTimeouts } from '../aws/deadline.js';

export interface Db {
  readonly doc: DynamoDBDocumentClient;
  /** The low-level client under `doc` (for libraries that want one, e.g. the Powertools idempotency layer). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export function createDb(options: { tableName: string; endpoint?: string | undefined; region?: string; timeouts?: SdkTimeouts }): Db {
  const local = options.endpoint !== undefined;
  const timeouts = options.timeouts ?? (local ? SDK_TIMEOUTS.local : SDK_TIMEOUTS.aws);
  const client = new DynamoDBClient({
    ...(local && {
      endpoint: options.endpoint,
      region: options.region ?? 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    ...(!local && options.region && { region: options.region }),
    // Bounded waits (see deadline.ts): a stuck connection is an error the SDK retries, never a function timeout.
    maxAttempts: timeouts.maxAttempts,
    requestHandler: { connectionTimeout: timeouts.connectionTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, throwOnRequestTimeout: true },
  });
  // Before every attempt (inside the SDK's retry loop): no attempt starts that the invocation could not wait for.
  client.middlewareStack.add(
    (next) => async (args) => {
      assertTimeForAttempt(timeouts);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'crsInvocationDeadline' },
  );
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { doc, client, tableName: options.tableName };
}
