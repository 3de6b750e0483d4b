// A second floor for the cold-start table and the gateway (never deployed): the same one strongly consistent GetItem as
// the baseline, through the AWS SDK's document client instead of the service's own client (lib/aws/dynamodb-https.ts).
// The distance between the two rows is what the SDK costs a cold start and a request.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { createSdkDb } from '../../lib/store/sdk-client.js';
import { loadSettings } from '../../lib/config.js';
import type { Db } from '../../lib/store/client.js';
import { keys } from '../../lib/store/keys.js';

export function createHandler(runtime: { db: Db }, groupId = 1) {
  const { db } = runtime;
  return async (): Promise<APIGatewayProxyResultV2> => {
    const out = await db.doc.get({ TableName: db.tableName, Key: keys.group(groupId), ConsistentRead: true });
    return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ found: out.Item !== undefined }) };
  };
}

const settings = loadSettings(process.env);
export const handler = createHandler({ db: createSdkDb({ tableName: settings.tableName, endpoint: settings.dynamodbEndpoint }) });
