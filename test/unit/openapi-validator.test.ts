// The response validator of the test suite (test/support/openapi-validator.ts) refuses what breaks the document: an
// undocumented status, a missing required header, a body off its schema, an undocumented content type.
import { describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../support/openapi-validator.js';

const validator = new OpenApiValidator();
const headers = (h: Record<string, string>) => new Headers({ 'x-correlation-id': 'abc', 'content-language': 'en', 'content-type': 'application/json', ...h });
const group = {
  groupId: 1, groupName: 'A', groupExternalId: null, customAttributes: null,
  contacts: [{ contactId: 1, contactUid: null, firstName: null, lastName: null, relationshipType: { id: 1, name: 'x', systemName: 'GroupMember' }, systemStatus: { id: 1, name: 'Active', systemName: 'Active' }, order: 1 }],
};
const check = (status: number, h: Record<string, string>, body: unknown, method = 'GET', path = '/v1.0/contactgroups/7') =>
  validator.check({ method, path, status, headers: headers(h), body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('OpenAPI response validator', () => {
  it('accepts a documented answer', () => {
    expect(check(200, { etag: '"1"' }, group)).toEqual({ operation: 'GET /v1.0/contactgroups/{contactGroupId}', problems: [] });
    const error = { code: 'NotFound', subCode: 'GroupNotFound', message: 'x', correlationId: 'abc', properties: {} };
    expect(check(404, {}, error).problems).toEqual([]);
  });

  it('refuses an undocumented status, a missing header, a body off its schema and an undocumented subCode', () => {
    expect(check(418, {}, {}).problems[0]).toMatch(/status not documented/);
    expect(check(200, {}, group).problems[0]).toMatch(/required header ETag is missing/);
    expect(check(200, { etag: '"1"' }, { ...group, groupId: 'one' }).problems[0]).toMatch(/body does not match the schema.*groupId/);
    const error = { code: 'NotFound', subCode: 'MemberNotFound', message: 'x', correlationId: 'abc', properties: {} };
    expect(check(404, {}, error).problems[0]).toMatch(/subCode/);
    expect(check(200, { etag: '"1"', 'content-type': 'text/plain' }, group).problems[0]).toMatch(/content-type "text\/plain" not documented/);
    expect(check(204, {}, 'unexpected', 'DELETE').problems[0]).toMatch(/a body where none is documented/);
  });

  it('checks the 401 headers and accepts the deployed authorizer\'s own body', () => {
    expect(check(401, { 'www-authenticate': 'Bearer' }, { message: 'Unauthorized' }).problems).toEqual([]);
    expect(check(401, {}, { message: 'Unauthorized' }).problems[0]).toMatch(/WWW-Authenticate/);
    const dezrez = { Message: 'x', ErrorReference: 'abc', Details: 'MissingToken', ErrorType: 'Unauthorized', ValidationErrors: [] };
    expect(check(401, { 'www-authenticate': 'Bearer' }, dezrez, 'PUT', '/api/group/2/addgroupmember').problems).toEqual([]);
    const dfs = { code: 'Unauthorized', subCode: 'MissingToken', message: 'x', correlationId: 'abc', properties: {} };
    expect(check(401, { 'www-authenticate': 'Bearer' }, dfs, 'PUT', '/api/group/2/addgroupmember').problems[0]).toMatch(/body does not match/);
  });

  it('leaves requests to undocumented routes alone', () => {
    expect(check(404, {}, {}, 'GET', '/nowhere')).toEqual({ problems: [] });
  });
});
