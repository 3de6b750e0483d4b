// The benchmark's baseline function: one strongly consistent GetItem (a contact group's item) and nothing else, on the
// service's own runtime (settings, DynamoDB client). Its bundle is the floor of every function's cold start (the SDK
// and the client), and through the local gateway it is the floor of every request (gateway, JWT, one round trip).
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { keys } from '../../lib/store/keys.js';

export function createHandler(runtime: Pick<Runtime, 'db'>, groupId = 1) {
  const { db } = runtime;
  return async (): Promise<APIGatewayProxyResultV2> => {
    const out = await db.doc.get({ TableName: db.tableName, Key: keys.group(groupId), ConsistentRead: true });
    return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ found: out.Item !== undefined }) };
  };
}

export const handler = createHandler(createRuntime());

/**
 * A second reference (through the gateway only): one strongly consistent BatchGetItem of the two items a check of
 * contact 1 against group 1 reads (the contact's links and the group), and nothing else. The distance from the baseline
 * to this is the data a check needs; from this to the check, the function's own work.
 */
export function createTwoItemHandler(runtime: Pick<Runtime, 'db'>, contactId = 1, groupId = 1) {
  const { db } = runtime;
  return async (): Promise<APIGatewayProxyResultV2> => {
    const out = await db.doc.batchGet({ RequestItems: { [db.tableName]: { Keys: [keys.contactLinks(contactId), keys.group(groupId)], ConsistentRead: true } } });
    return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ found: out.Responses?.[db.tableName]?.length ?? 0 }) };
  };
}
