// Malformed input never reaches a 500: every endpoint, with odd path values, odd bodies and odd headers, answers a
// documented 4xx with the documented error body (DFS or Dezrez).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, callers, type TestServer } from '../support/server.js';
import { ALL_ENDPOINTS } from '../../lib/api/contracts/index.js';
import { ev, uidOf } from '../support/events.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token(callers.admin());
  await server.ingest([ev.contactUpserted({ contactUid: uidOf(1), lastName: 'Odd', version: 1 }), ev.memberUpserted({ memberId: 1, version: 1 })]);
});
afterAll(() => server.stop());

const ODD_SEGMENTS = ['0', '-1', 'abc', '99999999999', '1.5', '2147483648', '%20', 'null', 'Account', '00000000-0000-0000-0000-00000000000g'];
const ODD_BODIES = ['', 'null', '[]', '{}', '"text"', '42', '{"a":', '{"contacts":[null]}', '{"memberIds":[1,"2"]}', '{"Person":null}', '{"checks":[{}]}', '\u0000'];

const routed = ALL_ENDPOINTS.filter((e) => e.scope !== null);

function expectDocumentedError(status: number, body: unknown, dezrez: boolean) {
  expect(status, JSON.stringify(body)).toBeLessThan(500);
  if (status < 400) return;
  if (dezrez) expect(body).toMatchObject({ Message: expect.any(String), ErrorReference: expect.any(String), ErrorType: expect.any(String) });
  else expect(body).toMatchObject({ code: expect.any(String), subCode: expect.any(String), message: expect.any(String), correlationId: expect.any(String) });
}

describe('malformed input', () => {
  it.each(routed.map((e) => [`${e.method} ${e.path}`, e] as const))('%s: odd path values', async (_, e) => {
    for (const odd of ODD_SEGMENTS) {
      const path = e.path.replace(/\{\w+\}/g, encodeURIComponent(odd));
      const res = await server.request(e.method, path, { token, ...(e.body && { rawBody: '{}', headers: { 'content-type': 'application/json' } }) });
      if (res.status === 404 && res.body?.subCode === 'RouteNotFound') continue; // the gateway does not route it
      expectDocumentedError(res.status, res.body, e.errorStyle === 'dezrez');
    }
  });

  it.each(routed.filter((e) => e.body).map((e) => [`${e.method} ${e.path}`, e] as const))('%s: odd bodies', async (_, e) => {
    const path = e.path.replace(/\{contactId\}|\{contactGroupId\}|\{id\}|\{memberId\}|\{relativeContactId\}/g, '1');
    for (const raw of ODD_BODIES) {
      const res = await server.request(e.method, path, { token, rawBody: raw, headers: { 'content-type': 'application/json' } });
      expectDocumentedError(res.status, res.body, e.errorStyle === 'dezrez');
    }
  });

  it('random JSON bodies never cause a 500 on any endpoint with a body', async () => {
    const withBody = routed.filter((e) => e.body);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withBody), fc.jsonValue({ maxDepth: 3 }), async (e, value) => {
        const path = e.path.replace(/\{\w+\}/g, '1');
        const res = await server.request(e.method, path, { token, body: value });
        expectDocumentedError(res.status, res.body, e.errorStyle === 'dezrez');
      }),
      { numRuns: 150 },
    );
  });

  it('odd headers are refused cleanly', async () => {
    const long = 'x'.repeat(300);
    const create = await server.request('POST', '/v2.0/contacts/1/contactgroups', { token, body: { groupName: 'H' }, headers: { 'idempotency-key': long } });
    expectDocumentedError(create.status, create.body, false);
    expect(create.status).toBe(400);
    const put = await server.request('PUT', '/v1.0/contactgroups/999/', { token, body: {}, headers: { 'if-match': 'garbage' } });
    expectDocumentedError(put.status, put.body, false);
  });
});
