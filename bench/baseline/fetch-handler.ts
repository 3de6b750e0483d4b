// A second floor for the cold-start table (bundle only, never deployed): the same one strongly consistent GetItem as
// the baseline, signed with SigV4 by aws4fetch over Node's own fetch instead of the AWS SDK. It measures what the SDK
// costs a cold start — the distance between this row and the baseline's — and what a function without it could reach.
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { AwsClient } from 'aws4fetch';
import { keys } from '../../lib/store/keys.js';

const env = process.env;
const region = env.AWS_REGION ?? 'eu-central-1';
const aws = new AwsClient({
  accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
  ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
  service: 'dynamodb',
  region,
  retries: 2,
});
/** The baseline's item: contact group 1 (the key as the service builds it). */
const key = keys.group(1);
const endpoint = env.DYNAMODB_ENDPOINT ?? `https://dynamodb.${region}.amazonaws.com`;

export const handler = async (): Promise<APIGatewayProxyResultV2> => {
  const res = await aws.fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body: JSON.stringify({ TableName: env.TABLE_NAME, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
  });
  const out = (await res.json()) as { Item?: unknown };
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ found: out.Item !== undefined }) };
};
