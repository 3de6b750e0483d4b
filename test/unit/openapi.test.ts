// Every route a function serves is documented in the OpenAPI document (and every documented endpoint is served); the
// document completes SPEC 5 (headers, subCodes, examples, servers, tags, public routes, integer ids, the bearer
// scheme); every subCode has a message in every language.
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, errorsOf } from '../../lib/api/openapi.js';
import { ALL_ENDPOINTS, ENDPOINTS_BY_FUNCTION } from '../../lib/api/contracts/index.js';
import { SUB_CODES, type ErrorCode } from '../../lib/domain/errors.js';
import { INVALID_PART } from '../../lib/http/route.js';
import type { FunctionGroup } from '../../lib/api/contract.js';
import { createDb } from '../../lib/store/client.js';
import { loadSettings } from '../../lib/config.js';
import type { BoundRoute } from '../../lib/http/route.js';
import { CATALOGUES } from '../../lib/i18n/messages.js';
import { SUPPORTED_LANGUAGES } from '../../lib/i18n/languages.js';
import { createHandler as contactAccess } from '../../functions/contact-access/handler.js';
import { createHandler as contactGroupAccess } from '../../functions/contact-group-access/handler.js';
import { createHandler as contactGroups } from '../../functions/contact-groups/handler.js';
import { createHandler as contactRelatives } from '../../functions/contact-relatives/handler.js';
import { handler as docs } from '../../functions/docs/handler.js';

const runtime = { settings: loadSettings({}), db: createDb({ tableName: 'unused', endpoint: 'http://127.0.0.1:9' }) };
const routesByFunction: Record<FunctionGroup, readonly BoundRoute[]> = {
  'contact-access': contactAccess(runtime).routes,
  'contact-group-access': contactGroupAccess(runtime).routes,
  'contact-groups': contactGroups(runtime).routes,
  'contact-relatives': contactRelatives(runtime).routes,
  docs: docs.routes,
};
const document = buildOpenApiDocument();
const paths = document.paths as Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;

describe('OpenAPI document', () => {
  it.each(Object.keys(routesByFunction) as FunctionGroup[])('documents every route of %s', (fn) => {
    const routes = routesByFunction[fn];
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const operation = paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.operationId).toBe(route.endpoint.operationId);
      expect(Object.keys(operation?.responses ?? {})).toContain(String(route.endpoint.success.status));
    }
  });

  it.each(Object.keys(routesByFunction) as FunctionGroup[])('serves every endpoint documented for %s', (fn) => {
    const served = new Set(routesByFunction[fn].map((r) => `${r.method} ${r.path}`));
    for (const e of ENDPOINTS_BY_FUNCTION[fn]) expect(served, `${e.method} ${e.path}`).toContain(`${e.method} ${e.path}`);
  });

  it('is OpenAPI 3.1 with unique operation ids and the bearer scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

type Json = Record<string, any>;
const doc = document as unknown as Json;
const operations = Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, op]) => ({ path, method, op: op as Json, key: `${method.toUpperCase()} ${path}` })),
);
const deref = (value: Json): Json => (value?.$ref ? deref(value.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k], doc)) : value);

describe('OpenAPI document completes SPEC 5', () => {
  it('names a server, its tags with descriptions, a contact and a license', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: expect.stringMatching(/^https?:\/\/[^/]+$/) })]);
    const used = new Set(operations.map((o) => o.op.tags[0]));
    expect(doc.tags.map((t: Json) => t.name).sort()).toEqual([...used].sort());
    for (const tag of doc.tags) expect(tag.description.length, tag.name).toBeGreaterThan(40);
    expect(doc.info.contact.email).toMatch(/@/);
    expect(doc.info.license.name).toBeTruthy();
  });

  it('marks the documentation routes public (security: []) and every other operation with its bearer scope', () => {
    for (const { op, key } of operations) {
      const endpoint = ALL_ENDPOINTS.find((e) => `${e.method} ${e.path}` === key)!;
      expect(op.security, key).toEqual(endpoint.scope === null ? [] : [{ bearer: [endpoint.scope] }]);
    }
    const bearer = doc.components.securitySchemes.bearer;
    for (const word of ['sub', 'caller_type', 'participant_uid', 'member_id', 'contact_id', 'crs.read', 'crs.write', 'crs.admin']) expect(bearer.description).toContain(word);
  });

  it('types every path id as a positive int32 and every uuid as a uuid', () => {
    let ids = 0;
    for (const { op, key } of operations) {
      for (const p of (op.parameters ?? []).map(deref).filter((p: Json) => p.in === 'path')) {
        if (/Id$|^id$/.test(p.name) && p.name !== 'identityId') {
          ids++;
          expect(p.schema, `${key} ${p.name}`).toMatchObject({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 });
        }
        if (p.name === 'identityId') expect(p.schema, key).toMatchObject({ type: 'string', format: 'uuid' });
      }
    }
    expect(ids).toBeGreaterThan(20);
  });

  it('documents the request headers of SPEC 5 on every operation', () => {
    for (const { op, key, path } of operations) {
      const names = (op.parameters ?? []).map(deref).filter((p: Json) => p.in === 'header').map((p: Json) => p.name.toLowerCase());
      expect(names, key).toContain('x-correlation-id');
      if (!path.startsWith('/docs') && path !== '/openapi.json') expect(names, key).toContain('accept-language');
    }
    const names = (key: string) => operations.find((o) => o.key === key)!.op.parameters.map(deref).map((p: Json) => p.name);
    expect(names('POST /v2.0/contacts/{contactId}/contactgroups')).toContain('Idempotency-Key');
    expect(names('PUT /v1.0/contactgroups/{contactGroupId}')).toContain('If-Match');
    expect(names('DELETE /v1.0/contactgroups/{contactGroupId}')).toContain('If-Match');
  });

  it('documents the response headers: correlation id and language everywhere, ETag, Location, WWW-Authenticate, Retry-After', () => {
    for (const { op, key } of operations) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        const headers = Object.keys((response as Json).headers ?? {});
        expect(headers, `${key} ${status}`).toEqual(expect.arrayContaining(['x-correlation-id', 'Content-Language']));
        if (status === '401') expect(headers, key).toContain('WWW-Authenticate');
        if (status === '503') expect(headers, key).toContain('Retry-After');
      }
      if (!key.includes('/docs') && !key.includes('openapi.json')) expect(Object.keys(op.responses), key).toContain('503');
    }
    const headersOf = (key: string, status: string) => Object.keys(operations.find((o) => o.key === key)!.op.responses[status].headers);
    expect(headersOf('GET /v1.0/contactgroups/{contactGroupId}', '200')).toContain('ETag');
    expect(headersOf('POST /v2.0/contacts/{contactId}/contactgroups', '201')).toContain('Location');
  });

  it('has an example for every request and response body', () => {
    let bodies = 0;
    for (const { op, key } of operations) {
      const media = [
        ...Object.values((op.requestBody?.content ?? {}) as Json),
        ...Object.values(op.responses as Json).flatMap((r) => Object.values(((r as Json).content ?? {}) as Json)),
      ] as Json[];
      for (const m of media) {
        bodies++;
        expect(m.example !== undefined || Object.keys(m.examples ?? {}).length > 0, key).toBe(true);
      }
    }
    expect(bodies).toBeGreaterThan(150);
  });

  it('lists, per error status, the subCodes the code raises, each with an example in the endpoint\'s error body', () => {
    for (const endpoint of ALL_ENDPOINTS) {
      const op = operations.find((o) => o.key === `${endpoint.method} ${endpoint.path}`)!.op;
      for (const [code, subCodes] of errorsOf(endpoint)) {
        const status = { BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, Conflict: 409, PreconditionFailed: 412, UnprocessableEntity: 422, General: 500, ServiceUnavailable: 503 }[code];
        const media = op.responses[status].content['application/json'];
        const examples = Object.values(media.examples as Json).map((e) => deref(e as Json).value);
        for (const subCode of subCodes) {
          const body = endpoint.errorStyle === 'dezrez' ? { ErrorType: code, Details: subCode } : { code, subCode };
          expect(examples, `${endpoint.operationId} ${status} ${subCode}`).toContainEqual(expect.objectContaining(body));
        }
      }
    }
  });

  it('derives the subCodes of an operation from the code (e.g. the ones the issue found missing)', () => {
    const subCodes = (operationId: string, code: ErrorCode) => errorsOf(ALL_ENDPOINTS.find((e) => e.operationId === operationId)!).get(code) ?? [];
    expect(subCodes('createContactGroup', 'UnprocessableEntity')).toEqual(expect.arrayContaining(['DuplicateExternalId', 'IdempotencyKeyReused']));
    expect(subCodes('putRelative', 'UnprocessableEntity')).toContain('SelfRelative');
    expect(subCodes('modifyContactGroup', 'PreconditionFailed')).toEqual(['VersionMismatch']);
    expect(subCodes('deleteContactGroup', 'Forbidden')).toContain('NoContactAccess');
    expect(subCodes('searchContactGroups', 'BadRequest')).toContain('MissingCriterion');
    expect(subCodes('addMembers', 'BadRequest')).toEqual(expect.arrayContaining(['InvalidPath', 'InvalidBody', 'InvalidJson', 'TooManyItems']));
    expect(subCodes('getContactGroup', 'Unauthorized')).toEqual(['InvalidClaims', 'InvalidToken', 'MissingToken']);
    expect(subCodes('listRelationshipTypes', 'NotFound')).toEqual([]);
  });

  it('documents the deployed authorizer\'s own 401 body beside the function\'s', () => {
    for (const { op, key } of operations.filter((o) => o.op.security.length > 0)) {
      const media = op.responses['401'].content['application/json'];
      expect(JSON.stringify(media.schema), key).toContain('#/components/schemas/AuthorizerError');
      expect(Object.keys(media.examples), key).toContain('AuthorizerUnauthorized');
    }
  });

  it('has no dead subCode: each one in the registry is answered by some operation (or the gateway: RouteNotFound)', () => {
    const answered = new Set(ALL_ENDPOINTS.flatMap((e) => [...errorsOf(e)].flatMap(([code, subCodes]) => subCodes.map((s) => `${code}.${s}`))));
    answered.add('NotFound.RouteNotFound');
    // Raised by the request validation of any endpoint that declares a query schema; none does yet.
    answered.add(`BadRequest.${INVALID_PART.query}`);
    for (const [code, subCodes] of Object.entries(SUB_CODES)) for (const s of subCodes) expect(answered, `${code}.${s}`).toContain(`${code}.${s}`);
  });
});

describe('error messages', () => {
  it('has a message in every language for every subCode of the registry', () => {
    const all = new Set(Object.values(SUB_CODES).flat().filter((s) => s !== 'NA'));
    expect(all.size).toBeGreaterThan(30);
    for (const subCode of all) for (const lang of SUPPORTED_LANGUAGES) expect(CATALOGUES[lang][subCode], `${lang} ${subCode}`).toBeTypeOf('string');
    for (const code of Object.keys(SUB_CODES)) for (const lang of SUPPORTED_LANGUAGES) expect(CATALOGUES[lang][`code.${code}`], `${lang} ${code}`).toBeTypeOf('string');
  });
});
