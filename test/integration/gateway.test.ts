// The local gateway's own answers, as API Gateway's: CORS from the allowed origins (preflights never reach a function),
// and 401 refusals in the route's error body (the Dezrez body on the Dezrez endpoint) with WWW-Authenticate: Bearer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS } from '../../lib/http/cors.js';

const FRONT_END = 'https://advisor.example.com';
const OTHER = 'https://elsewhere.example.net';

let server: TestServer;
let bare: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ corsOrigins: [FRONT_END] });
  bare = await startTestServer({ db: server.db });
  token = await server.token(callers.admin());
});
afterAll(async () => {
  await server?.stop();
  await bare?.stop();
});

const preflight = (s: TestServer, origin: string, path = '/v1.0/contactgroups/1') =>
  fetch(`${s.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type,if-match' },
  });

describe('CORS', () => {
  it('answers a preflight from an allowed origin itself, without reaching a function', async () => {
    const res = await preflight(server, FRONT_END);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    expect(res.headers.get('access-control-allow-methods')!.split(',')).toEqual([...CORS_ALLOW_METHODS]);
    expect(res.headers.get('access-control-allow-headers')!.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'if-match']));
    expect(res.headers.get('access-control-allow-headers')!.split(',')).toEqual([...CORS_ALLOW_HEADERS]);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    // Every function answer carries a correlation id and a language: the preflight met none.
    expect(res.headers.get('x-correlation-id')).toBeNull();
    expect(res.headers.get('content-language')).toBeNull();
    expect(await res.text()).toBe('');
    // Even where no route exists: API Gateway answers every preflight when CORS is configured.
    expect((await preflight(server, FRONT_END, '/nowhere')).status).toBe(204);
  });

  it('lets an allowed origin read the answer and its headers', async () => {
    const res = await fetch(`${server.url}/v1.0/relationship-types`, { headers: { origin: FRONT_END, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    expect(res.headers.get('access-control-expose-headers')!.split(',')).toEqual([...CORS_EXPOSE_HEADERS]);
    expect(res.headers.get('vary')).toMatch(/origin/i);
    // The gateway's own refusals too: a browser script must be able to read a 401.
    const refused = await fetch(`${server.url}/v1.0/relationship-types`, { headers: { origin: FRONT_END } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(FRONT_END);
  });

  it('gives a refused origin no CORS header, so the browser keeps the answer from it', async () => {
    const pre = await preflight(server, OTHER);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
    const res = await fetch(`${server.url}/v1.0/relationship-types`, { headers: { origin: OTHER, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has no CORS at all without allowed origins (the default)', async () => {
    const pre = await preflight(bare, FRONT_END);
    expect(pre.status).toBe(404);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await fetch(`${bare.url}/v1.0/relationship-types`, { headers: { origin: FRONT_END, authorization: `Bearer ${token}` } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('401', () => {
  const dezrez = (headers: Record<string, string>) =>
    fetch(`${server.url}/api/group/1/addgroupmember`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ Person: { LastName: 'X' } }) });

  it.each([
    ['no token', {}, 'MissingToken'],
    ['a forged token', { authorization: 'Bearer abc.def.ghi' }, 'InvalidToken'],
  ])('answers the Dezrez endpoint with the Dezrez body and WWW-Authenticate (%s)', async (_, headers, subCode) => {
    const res = await dezrez({ ...headers, 'x-correlation-id': 'dezrez-401', 'accept-language': 'de' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-language')).toBe('de');
    expect(await res.json()).toEqual({ Message: expect.any(String), ErrorReference: 'dezrez-401', Details: subCode, ErrorType: 'Unauthorized', ValidationErrors: [] });
  });

  it('answers the function\'s own 401 (claims of a bad shape) in the Dezrez body on the Dezrez endpoint', async () => {
    const badClaims = await server.token({ caller_type: 'member', sub: 'not-a-uuid', member_id: 4 });
    const res = await dezrez({ authorization: `Bearer ${badClaims}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ Details: 'InvalidClaims', ErrorType: 'Unauthorized' });
  });

  it('answers the DFS endpoints with the DFS body and WWW-Authenticate', async () => {
    const res = await fetch(`${server.url}/v1.0/contactgroups/1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ code: 'Unauthorized', subCode: 'MissingToken' });
  });
});
