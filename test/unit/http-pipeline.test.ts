// The HTTP pipeline end to end in process: claims → caller, scopes, validation, localization, correlation, error bodies.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { endpoint } from '../../lib/api/contract.js';
import { RuleViolationError } from '../../lib/domain/errors.js';
import { id, list, pathId } from '../../lib/schemas/common.js';

const echo = endpoint({
  fn: 'contact-access', tag: 't', method: 'POST', path: '/v1.0/things/{thingId}', operationId: 'echo', summary: 's', scope: 'crs.write',
  params: z.object({ thingId: pathId }), body: z.object({ ids: list(id), name: z.string().max(5).optional() }),
  success: { status: 200, description: 'ok', schema: z.object({ thingId: z.number(), ids: z.array(z.number()) }) }, errors: [400],
});
const rule = endpoint({
  fn: 'contact-access', tag: 't', method: 'GET', path: '/v1.0/rule', operationId: 'rule', summary: 's', scope: 'crs.read',
  success: { status: 200, description: 'ok' }, errors: [422],
});
const boom = endpoint({
  fn: 'contact-access', tag: 't', method: 'GET', path: '/v1.0/boom', operationId: 'boom', summary: 's', scope: 'crs.read',
  success: { status: 200, description: 'ok' }, errors: [500],
});
const dezrez = endpoint({
  fn: 'contact-groups', tag: 't', method: 'PUT', path: '/api/thing/{id}', operationId: 'dz', summary: 's', scope: 'crs.write', errorStyle: 'dezrez',
  body: z.object({ Person: z.object({ LastName: z.string() }) }), success: { status: 200, description: 'ok' }, errors: [400],
});

const handler = httpFunction(
  [
    route(echo, async ({ params, body }) => ({ body: { thingId: params.thingId, ids: body.ids } })),
    route(rule, async () => {
      throw new RuleViolationError('MemberNotFound', { ids: [9] });
    }),
    route(boom, async () => {
      throw new Error('secret table name crs-prod in stack trace');
    }),
    route(dezrez, async () => ({})),
  ],
  { defaultLanguage: 'en' },
);

const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'test', awsRequestId: 'r' } as unknown as Context;
const claims = { sub: 'app', caller_type: 'application', scope: 'crs.read crs.write' };

function event(method: string, path: string, options: { body?: string; headers?: Record<string, string>; claims?: Record<string, unknown> | null; query?: Record<string, string> } = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      ...(options.claims !== null && { authorizer: { jwt: { claims: options.claims ?? claims, scopes: null } } }),
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

async function call(e: APIGatewayProxyEventV2) {
  const res = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, headers: res.headers ?? {}, body: res.body ? JSON.parse(res.body) : undefined };
}

describe('HTTP pipeline', () => {
  it('validates, calls the route and answers JSON with correlation id and language', async () => {
    const res = await call(event('POST', '/v1.0/things/12', { body: '{"ids":[1,2]}', headers: { 'x-correlation-id': 'abc-123', 'accept-language': 'de' } }));
    expect(res).toMatchObject({ status: 200, body: { thingId: 12, ids: [1, 2] } });
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    expect(res.headers['content-language']).toBe('de');
  });

  it('generates a 32-hex correlation id when none (or a malformed one) is sent', async () => {
    const res = await call(event('POST', '/v1.0/things/12', { body: '{"ids":[]}', headers: { 'x-correlation-id': 'bad id\nwith newline' } }));
    expect(String(res.headers['x-correlation-id'])).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['no authorizer claims', { claims: null }, 401, 'MissingToken'],
    ['malformed claims', { claims: { sub: 'x', caller_type: 'robot' } }, 401, 'InvalidClaims'],
    ['a missing scope', { claims: { ...claims, scope: 'crs.read' } }, 403, 'MissingScope'],
    ['bad JSON', { body: '{"ids":' }, 400, 'InvalidJson'],
    ['a missing list', { body: '{}' }, 400, 'InvalidBody'],
    ['a null list', { body: '{"ids":null}' }, 400, 'InvalidBody'],
    ['a wrong type', { body: '{"ids":["1"]}' }, 400, 'InvalidBody'],
    ['an id that is not a positive int32', { body: '{"ids":[2147483648]}' }, 400, 'InvalidBody'],
    ['a string over its length', { body: '{"ids":[],"name":"toolong"}' }, 400, 'InvalidBody'],
    ['more than 100 items', { body: JSON.stringify({ ids: Array.from({ length: 101 }, (_, i) => i + 1) }) }, 400, 'TooManyItems'],
    ['no body at all', { body: '' }, 400, 'InvalidBody'],
  ])('refuses %s', async (_, options, status, subCode) => {
    const res = await call(event('POST', '/v1.0/things/12', { body: '{"ids":[]}', ...options }));
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code: expect.any(String), subCode, message: expect.any(String), correlationId: expect.any(String), properties: expect.any(Object) });
  });

  it('refuses a path id that is not a positive int32 with the field path', async () => {
    const res = await call(event('POST', '/v1.0/things/0', { body: '{"ids":[]}' }));
    expect(res.body).toMatchObject({ code: 'BadRequest', subCode: 'InvalidPath', properties: { fields: ['thingId'] } });
  });

  it('maps a domain rule to 422 with a localized message and its properties', async () => {
    const res = await call(event('GET', '/v1.0/rule', { query: { language: 'fr' } }));
    expect(res).toMatchObject({ status: 422, body: { code: 'UnprocessableEntity', subCode: 'MemberNotFound', message: 'Membre introuvable : 9.', properties: { ids: [9] } } });
    expect(res.headers['content-language']).toBe('fr');
  });

  it('answers 500 General without internals for unexpected errors', async () => {
    const res = await call(event('GET', '/v1.0/boom'));
    expect(res).toMatchObject({ status: 500, body: { code: 'General', subCode: 'NA', message: 'An unexpected error occurred.' } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('answers 404 RouteNotFound for an unknown route', async () => {
    expect(await call(event('GET', '/v9/nothing'))).toMatchObject({ status: 404, body: { code: 'NotFound', subCode: 'RouteNotFound' } });
  });

  it('uses the Dezrez error body on Dezrez routes', async () => {
    const res = await call(event('PUT', '/api/thing/3', { body: '{"Person":{}}' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      Message: 'The request body is invalid.',
      ErrorReference: res.headers['x-correlation-id'],
      Details: 'InvalidBody',
      ErrorType: 'BadRequest',
      ValidationErrors: [{ PropertyName: 'Person.LastName', Message: expect.any(String) }],
    });
  });

  it('uses the Dezrez error body even when the JSON itself is broken', async () => {
    const res = await call(event('PUT', '/api/thing/3', { body: '{"Person":' }));
    expect(res).toMatchObject({ status: 400, body: { Details: 'InvalidJson', ErrorType: 'BadRequest', ValidationErrors: [] } });
  });

  it('exposes its route table', () => {
    expect(handler.routes.map((r) => r.endpoint.operationId)).toEqual(['echo', 'rule', 'boom', 'dz']);
  });
});
