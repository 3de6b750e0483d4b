// The same document operations through the AWS SDK (DynamoDBDocumentClient), for what needs the SDK itself: tests that
// fake DynamoDB with aws-sdk-client-mock, a fixture written in the wire format, and the bench's SDK baseline. Never imported
// by a module the check functions load: the SDK's module graph is most of a cold start (BENCHMARKS.md).
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { assertTimeForAttempt } from '../aws/deadline.js';
import { DocumentClient, LOCAL_CREDENTIALS, connectionOf, type Connection, type Db, type DbOptions, type Operation, type Output } from './client.js';

const COMMANDS = {
  GetItemCommand: GetCommand,
  BatchGetItemCommand: BatchGetCommand,
  QueryCommand,
  ScanCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
  BatchWriteItemCommand: BatchWriteCommand,
} satisfies Record<Operation, unknown>;

/** A low-level SDK client for a Db's table, with the same timeouts, attempts and invocation deadline. */
export function createSdkClient(connection: Connection): DynamoDBClient {
  const { timeouts } = connection;
  const local = connection.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local && { endpoint: connection.endpoint, credentials: LOCAL_CREDENTIALS }),
    ...(connection.region && { region: connection.region }),
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
  return client;
}

export interface SdkDb extends Db {
  /** The SDK's document client under `doc` (what aws-sdk-client-mock replaces in unit tests). */
  readonly sdk: DynamoDBDocumentClient;
  readonly client: DynamoDBClient;
}

/** A Db whose operations go through the AWS SDK. */
export function createSdkDb(options: DbOptions): SdkDb {
  const connection = connectionOf(options);
  const client = createSdkClient(connection);
  const sdk = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  const doc = new DocumentClient({
    send: ({ operation, input }) => sdk.send(new COMMANDS[operation](input as never) as never) as Promise<Output>,
    destroy: () => sdk.destroy(),
  });
  return { doc, sdk, client, tableName: options.tableName, connection };
}
