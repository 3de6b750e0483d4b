// The service's DynamoDB client (lib/aws/dynamodb-https.ts under lib/store/client.ts) against a server that answers as
// DynamoDB does: the wire format both ways, SigV4, which failures are retried and how they are thrown. Its behaviour on
// the real protocol is what every integration and e2e test runs on (DynamoDB Local); here are the answers DynamoDB Local
// does not give (throttling, a 500, a cancelled transaction with reasons).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '../../lib/store/client.js';
import { getItem } from '../../lib/store/reads.js';
import { StoreConflict, putAction, transact } from '../../lib/store/transactions.js';
import { StoreUnavailable, unavailabilityOf } from '../../lib/aws/unavailable.js';
import { deadlineMargin, runInInvocation } from '../../lib/aws/deadline.js';

interface Seen {
  target: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
type Answer = { status: number; body: unknown };

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let answers: Answer[] = [];
const timeouts = { connectionTimeoutMs: 500, requestTimeoutMs: 1_000, maxAttempts: 3 };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ target: String(req.headers['x-amz-target']), headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      const answer = answers.shift() ?? { status: 200, body: {} };
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${seen.length}` });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

let db: Db;
beforeEach(() => {
  seen.length = 0;
  answers = [];
  db = createDb({ tableName: 't', endpoint, timeouts });
});

const error = (type: string, message: string, extra: Record<string, unknown> = {}, status = 400): Answer => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra },
});

describe('the wire', () => {
  it('sends document values marshalled, signed with SigV4, and reads the answer back into plain values', async () => {
    answers = [
      {
        status: 200,
        body: {
          Item: {
            pk: { S: 'GROUP#1' },
            sk: { S: 'GROUP' },
            n: { N: '42' },
            bytes: { B: Buffer.from([1, 2, 3]).toString('base64') },
            nested: { M: { list: { L: [{ S: 'a' }, { N: '1.5' }, { NULL: true }, { BOOL: false }, { B: Buffer.from([9]).toString('base64') }] } } },
            tags: { SS: ['x', 'y'] },
          },
        },
      },
    ];
    const item = await getItem<Record<string, unknown>>(db, { pk: 'GROUP#1', sk: 'GROUP' });
    expect(item).toEqual({ pk: 'GROUP#1', sk: 'GROUP', n: 42, bytes: new Uint8Array([1, 2, 3]), nested: { list: ['a', 1.5, null, false, new Uint8Array([9])] }, tags: new Set(['x', 'y']) });
    expect(item?.bytes).toBeInstanceOf(Uint8Array);

    const [request] = seen;
    expect(request?.target).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-central-1\/dynamodb\/aws4_request, SignedHeaders=\S*x-amz-target\S*, Signature=[0-9a-f]{64}$/);
    expect(request?.body).toEqual({ TableName: 't', Key: { pk: { S: 'GROUP#1' }, sk: { S: 'GROUP' } }, ConsistentRead: true });
  });

  it('writes binary values as base64 and drops undefined attributes', async () => {
    const item = { pk: 'P', sk: 'S', image: new Uint8Array([255, 0]), gone: undefined, count: 3, thumbs: { small: new Uint8Array([1]), names: ['x'] } };
    await db.doc.put({ TableName: 't', Item: item });
    expect(seen[0]?.target).toBe('DynamoDB_20120810.PutItem');
    expect(seen[0]?.body.Item).toEqual({ pk: { S: 'P' }, sk: { S: 'S' }, image: { B: '/wA=' }, count: { N: '3' }, thumbs: { M: { small: { B: 'AQ==' }, names: { L: [{ S: 'x' }] } } } });
    // The caller's item is left as it was.
    expect(item.image).toEqual(new Uint8Array([255, 0]));
  });

  it('a key that is not there reads as undefined', async () => {
    answers = [{ status: 200, body: {} }];
    expect(await getItem(db, { pk: 'NONE', sk: 'NONE' })).toBeUndefined();
  });
});

describe('failures', () => {
  it('throttling is retried up to maxAttempts, then thrown as the SDK names it: the service answers 503', async () => {
    answers = Array.from({ length: 3 }, () => error('ProvisionedThroughputExceededException', 'slow down'));
    const thrown = await getItem(db, { pk: 'A', sk: 'B' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(thrown).toMatchObject({ name: 'ProvisionedThroughputExceededException', message: 'slow down', $metadata: { httpStatusCode: 400, attempts: 3, requestId: 'req-3' } });
    expect(unavailabilityOf(thrown)).toBe('throttled');
  });

  it('a 500 is retried; the next attempt answers', async () => {
    answers = [error('InternalServerError', 'boom', {}, 500), { status: 200, body: { Item: { pk: { S: 'A' }, sk: { S: 'B' } } } }];
    expect(await getItem(db, { pk: 'A', sk: 'B' })).toEqual({ pk: 'A', sk: 'B' });
    expect(seen).toHaveLength(2);
  });

  it('a request DynamoDB refuses (validation) is not retried and keeps its message', async () => {
    answers = [error('ValidationException', 'One or more parameter values were invalid')];
    const thrown = await getItem(db, { pk: 'A', sk: 'B' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(thrown).toMatchObject({ name: 'ValidationException', message: 'One or more parameter values were invalid' });
    expect(unavailabilityOf(thrown)).toBeUndefined();
  });

  it("a transaction cancelled by a condition is one attempt and the store's conflict; a retried one keeps its request token", async () => {
    answers = [error('TransactionCanceledException', 'cancelled', { CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }] })];
    const thrown = await transact(db, [putAction({ pk: 'a', sk: 'b' }), putAction({ pk: 'c', sk: 'd' })]).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(StoreConflict);
    expect((thrown as StoreConflict).reasons).toEqual([undefined, 'ConditionalCheckFailed']);
    expect(seen).toHaveLength(1);

    seen.length = 0;
    answers = [error('InternalServerError', 'boom', {}, 500), { status: 200, body: {} }];
    await transact(db, [putAction({ pk: 'a', sk: 'b' })]);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.body.ClientRequestToken).toEqual(expect.any(String));
    expect(seen[1]?.body.ClientRequestToken).toBe(seen[0]?.body.ClientRequestToken);
    expect(seen[0]?.body.TransactItems).toEqual([{ Put: expect.objectContaining({ TableName: 't', Item: expect.objectContaining({ pk: { S: 'a' }, sk: { S: 'b' } }) }) }]);
  });

  it('a transaction cancelled for capacity is retried (nothing was applied), then unavailability (503), not a conflict', async () => {
    answers = Array.from({ length: 3 }, () => error('TransactionCanceledException', 'cancelled', { CancellationReasons: [{ Code: 'ThrottlingError' }] }));
    const thrown = await transact(db, [putAction({ pk: 'a', sk: 'b' })]).catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(unavailabilityOf(thrown)).toBe('throttled');
  });

  it('no attempt starts that the invocation could not wait for', async () => {
    const thrown = await runInInvocation(deadlineMargin(timeouts) + 10, () => getItem(db, { pk: 'A', sk: 'B' })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(StoreUnavailable);
    expect(seen).toHaveLength(0);
  });

  it('a refused connection is retried, then unavailability', async () => {
    const closed = createDb({ tableName: 't', endpoint: 'http://127.0.0.1:9', timeouts });
    const thrown = await getItem(closed, { pk: 'A', sk: 'B' }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    expect(unavailabilityOf(thrown)).toBe('unavailable');
  });
});
