// DynamoDB throttling, outages and timeouts (faults DynamoDB Local cannot produce): the real function handlers answer 503
// ServiceUnavailable with Retry-After — the DFS body, or the Dezrez body on the Dezrez route — as the OpenAPI document
// says, and a table that never answers makes a request give up before its function's timeout.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { InternalServerError, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDb } from '../../lib/store/client.js';
import { createSdkDb } from '../../lib/store/sdk-client.js';
import { loadSettings } from '../../lib/config.js';
import { keys } from '../../lib/store/keys.js';
import { newLinks } from '../../lib/store/contacts.js';
import { StoreUnavailable, unavailabilityOf } from '../../lib/aws/unavailable.js';
import { FUNCTION_TIMEOUT_MS, MAX_RETRY_PAUSE_MS, SDK_TIMEOUTS, assertTimeForAttempt, deadlineMargin, runInInvocation } from '../../lib/aws/deadline.js';
import { mapError } from '../../lib/http/error-body.js';
import { createHandler as contactRelatives } from '../../functions/contact-relatives/handler.js';
import { createHandler as contactGroups } from '../../functions/contact-groups/handler.js';
import { createHandler as contactGroupAccess } from '../../functions/contact-group-access/handler.js';
import { OpenApiValidator } from '../support/openapi-validator.js';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('which errors mean "DynamoDB cannot serve this now"', () => {
  it.each([
    ['throttled', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
    ['throttled', named('ThrottlingException')],
    ['throttled', named('RequestLimitExceeded')],
    ['throttled', new TransactionCanceledException({ message: 'c', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] })],
    ['throttled', new StoreUnavailable('throttled', 'BatchGet: unprocessed keys after retries')],
    ['unavailable', new InternalServerError({ message: 'oops', $metadata: { httpStatusCode: 500 } })],
    ['unavailable', named('Error', { code: 'ECONNREFUSED' })],
    ['unavailable', named('Error', { code: 'ECONNRESET' })],
    ['unavailable', named('UnknownError', { $metadata: { httpStatusCode: 503 } })],
    ['timeout', named('TimeoutError')],
    ['timeout', named('Error', { code: 'ETIMEDOUT' })],
    // The Powertools idempotency layer wraps the SDK's error in its own.
    ['unavailable', named('IdempotencyPersistenceLayerError', { cause: named('Error', { code: 'ECONNREFUSED' }) })],
  ] as const)('%s: %s', (expected, error) => {
    expect(unavailabilityOf(error)).toBe(expected);
    expect(mapError(error)).toMatchObject({ status: 503, code: 'ServiceUnavailable', subCode: 'NA', unexpected: false });
  });

  it.each([
    ['a failed condition', new TransactionCanceledException({ message: 'c', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] })],
    ['a validation error', named('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['a bug', new TypeError('x is undefined')],
  ])('not %s', (_, error) => {
    expect(unavailabilityOf(error)).toBeUndefined();
    expect(mapError(error).status).toBe(500);
  });
});

describe('deadline arithmetic', () => {
  it('leaves a deployed API request more than half its function timeout, and gives up before the timeout', () => {
    const margin = deadlineMargin(SDK_TIMEOUTS.aws);
    // The last attempt starts before the deadline, runs at most requestTimeout, the SDK pauses at most once more: the
    // answer still leaves before the function's end.
    expect(SDK_TIMEOUTS.aws.requestTimeoutMs + MAX_RETRY_PAUSE_MS).toBeLessThan(margin);
    expect(FUNCTION_TIMEOUT_MS.api - margin).toBeGreaterThanOrEqual(FUNCTION_TIMEOUT_MS.api / 2);
    expect(FUNCTION_TIMEOUT_MS.ingest - margin).toBeGreaterThan(20_000);
  });

  it('refuses to start an attempt the invocation could not wait for; outside an invocation there is no deadline', async () => {
    expect(() => assertTimeForAttempt(SDK_TIMEOUTS.aws)).not.toThrow();
    await runInInvocation(deadlineMargin(SDK_TIMEOUTS.aws) + 1_000, async () => expect(() => assertTimeForAttempt(SDK_TIMEOUTS.aws)).not.toThrow());
    await runInInvocation(deadlineMargin(SDK_TIMEOUTS.aws) + 10, async () => expect(() => assertTimeForAttempt(SDK_TIMEOUTS.aws)).toThrow(StoreUnavailable));
  });
});

// ---- the real handlers over a mocked DynamoDB

const ddb = mockClient(DynamoDBDocumentClient);
const db = createSdkDb({ tableName: 't', region: 'eu-central-1' });
const runtime = { settings: { ...loadSettings({}), tableName: 't' }, db };
const validator = new OpenApiValidator();
const context = { getRemainingTimeInMillis: () => FUNCTION_TIMEOUT_MS.api, functionName: 'test', awsRequestId: 'r' } as unknown as Context;
const adminClaims = { sub: 'admin-app', caller_type: 'application', scope: 'crs.read crs.write crs.admin' };

function event(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'accept-language': 'de', ...headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      authorizer: { jwt: { claims: adminClaims, scopes: null } },
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Calls a handler and checks its answer against the OpenAPI document, as every HTTP answer in the tests is. */
async function call(handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>, e: APIGatewayProxyEventV2) {
  const response = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  const headers = new Headers(response.headers as Record<string, string>);
  const verdict = validator.check({ method: e.requestContext.http.method, path: e.rawPath, status: response.statusCode!, headers, body: String(response.body ?? '') });
  expect(verdict.problems).toEqual([]);
  return { status: response.statusCode, headers, body: JSON.parse(String(response.body)) };
}

/** Serves BatchGet from a fixture (contacts 1 and 2 exist, nothing else). */
function serveContacts() {
  const items = new Map([1, 2].map((c) => [`${keys.contactLinks(c).pk}|LINKS`, newLinks(c, [], '2026-01-01T00:00:00.000Z')]));
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> }) => ({
    Responses: { t: input.RequestItems.t!.Keys.flatMap((k) => items.get(`${k.pk}|${k.sk}`) ?? []) },
  }));
}

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('503 ServiceUnavailable from the functions', () => {
  it('a throttled write: DFS body, Retry-After, localized, and the transaction was the only write tried', async () => {
    serveContacts();
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'throttled', $metadata: {}, CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }] }));
    const res = await call(contactRelatives(runtime), event('PUT', '/v1.1/contacts/1/relatives/2', { relationshipType: 'Parent' }, { 'x-correlation-id': 'corr-503' }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('content-language')).toBe('de');
    expect(res.body).toEqual({
      code: 'ServiceUnavailable',
      subCode: 'NA',
      message: expect.stringContaining('vorübergehend nicht verfügbar'),
      correlationId: 'corr-503',
      properties: {},
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('a throttled read and an unreachable table', async () => {
    ddb.on(BatchGetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    ddb.on(QueryCommand).resolves({ Items: [] });
    const throttled = await call(contactRelatives(runtime), event('GET', '/v1.1/contacts/1/relatives'));
    expect([throttled.status, throttled.headers.get('retry-after'), throttled.body.code]).toEqual([503, '1', 'ServiceUnavailable']);

    ddb.reset();
    ddb.onAnyCommand().rejects(named('Error', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8000' }));
    const down = await call(contactGroups(runtime), event('GET', '/v1.0/contactgroups/7'));
    expect([down.status, down.headers.get('retry-after'), down.body.code]).toEqual([503, '2', 'ServiceUnavailable']);
    expect(JSON.stringify(down.body)).not.toContain('ECONNREFUSED');
  });

  it('the Dezrez body on the Dezrez route', async () => {
    ddb.onAnyCommand().rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const res = await call(contactGroups(runtime), event('PUT', '/api/group/7/addgroupmember', { Person: { PersonId: 1 }, RelationshipType: { SystemName: 'GroupMember' } }, { 'x-correlation-id': 'dz-503' }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({ Message: expect.any(String), ErrorReference: 'dz-503', Details: 'NA', ErrorType: 'ServiceUnavailable', ValidationErrors: [] });
  });

  it('a direct invocation of the access batch answers the error object with retryAfterSeconds', async () => {
    ddb.onAnyCommand().rejects(named('ThrottlingException'));
    const out = (await contactGroupAccess(runtime)({ checks: [{ contactId: 1, contactGroupId: 2 }] }, context)) as { error: Record<string, unknown> };
    expect(out.error).toMatchObject({ status: 503, retryAfterSeconds: 1, code: 'ServiceUnavailable', subCode: 'NA' });
  });
});

describe('a table that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('gives up with 503 before the function would time out (SDK timeouts, then the invocation deadline)', async () => {
    ddb.restore();
    // Accepts connections and never answers: a stuck network path.
    server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const timeouts = { connectionTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 3 };
    const stuck = { settings: { ...loadSettings({}), tableName: 't' }, db: createDb({ tableName: 't', endpoint, timeouts }) };
    const handler = contactGroups(stuck);

    // Plenty of time: the SDK's own attempts (each its own connection, a timed-out socket is not reused) time out,
    // and it gives up after maxAttempts.
    const first = (await handler(event('GET', '/v1.0/contactgroups/7'), { ...context, getRemainingTimeInMillis: () => 10_000 })) as APIGatewayProxyStructuredResultV2;
    expect(first.statusCode).toBe(503);
    expect(sockets.size).toBe(timeouts.maxAttempts);

    // Little time: one attempt fits before the deadline; the retry that could not finish in time is refused.
    const remaining = deadlineMargin(timeouts) + 150;
    const before = sockets.size;
    const second = (await handler(event('GET', '/v1.0/contactgroups/7'), { ...context, getRemainingTimeInMillis: () => remaining })) as APIGatewayProxyStructuredResultV2;
    expect(second.statusCode).toBe(503);
    expect(second.headers?.['retry-after']).toBe('2');
    expect(sockets.size - before).toBe(1);
  });
});
