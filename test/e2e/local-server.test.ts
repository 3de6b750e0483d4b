// End to end: `npm start`'s entry point as a child process (its own DynamoDB Local, in memory), real tokens over HTTP,
// the token CLI, local events, and a clean Ctrl-C that leaves no Java process behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { freePort } from '../../infra/local/dynamodb-local.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'crs-e2e-'));
let server: ChildProcessWithoutNullStreams;
let output = '';
let base = '';
let token = '';
let dynamoEndpoint = '';

const env = () => ({
  ...process.env,
  CRS_DATA_DIR: dataDir,
  CRS_EMULATOR_DIR: join(root, '.data', 'dynamodb-local'),
  TABLE_NAME: 'crs-e2e',
  // Unset: the server's default log, one short line per request.
  LOG_LEVEL: '',
  DYNAMODB_ENDPOINT: '',
  CORS_ORIGINS: 'http://localhost:5173',
});

function mint(...args: string[]): string {
  const out = spawnSync(tsx, ['infra/local/token-cli.ts', ...args], { cwd: root, env: env(), encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.trim();
}

const portOpen = (url: string) =>
  new Promise<boolean>((res) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => {
      socket.destroy();
      res(true);
    });
    socket.on('error', () => res(false));
  });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(tsx, ['infra/local/start.ts', '--in-memory'], { cwd: root, env: { ...env(), PORT: String(port) } });
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${output}`)), 120_000);
    const check = () => {
      if (/Press Ctrl-C to stop/.test(output)) {
        clearTimeout(timer);
        res();
      } else if (server.exitCode !== null) {
        clearTimeout(timer);
        rej(new Error(`server exited:\n${output}`));
      } else setTimeout(check, 100);
    };
    check();
  });
  token = /^export TOKEN=(\S+)$/m.exec(output)?.[1] ?? '';
  dynamoEndpoint = /DynamoDB: (\S+)/.exec(output)?.[1] ?? '';
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
  }
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const auth = (t: string) => ({ authorization: `Bearer ${t}` });

describe('npm start', () => {
  it('prints the URL, the docs URL and a working token', () => {
    expect(output).toContain(`API:      http://localhost:`);
    expect(output).toContain('/docs');
    expect(token.split('.')).toHaveLength(3);
  });

  it("prints a Try: command that works as printed, after the printed export line", () => {
    const exportLine = /^export TOKEN=\S+$/m.exec(output)![0];
    const tryLine = /^Try:\n(curl .+)$/m.exec(output)![1]!;
    const run = spawnSync('bash', ['-c', `${exportLine}\n${tryLine}`], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).groupRelationshipTypes[0].name).toBe('Primäres Gruppenmitglied');
  });

  it('logs one short line per request by default, not the functions\' JSON', async () => {
    await get('/v1.0/relationship-types?language=it', auth(token));
    await expect.poll(() => output, { timeout: 5_000 }).toMatch(/^\d\d:\d\d:\d\d GET \/v1\.0\/relationship-types → 200 \d+ ms$/m);
    expect(output).not.toMatch(/"level":"INFO"/);
  });

  it('answers CORS for CORS_ORIGINS', async () => {
    const res = await fetch(`${base}/v1.0/relationship-types`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('serves the relationship types, localized', async () => {
    const res = await get('/v1.0/relationship-types?language=de', auth(token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('de');
    const body = (await res.json()) as any;
    expect(body.groupRelationshipTypes[0]).toEqual({ id: 1, name: 'Primäres Gruppenmitglied', systemName: 'PrimaryGroupMember' });
    expect(body.relativeRelationshipTypes.find((t: { systemName: string }) => t.systemName === 'Parent').reciprocal).toBe('Child');
  });

  it.each([
    ['without a token', {}, 'MissingToken'],
    ['with a forged token', auth(`${token.slice(0, -4)}AAAA`), 'InvalidToken'],
    ['with garbage', auth('garbage'), 'InvalidToken'],
  ])('refuses a request %s with 401 and the DFS error body', async (_, headers, subCode) => {
    const res = await get('/v1.0/relationship-types', headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'Unauthorized', subCode, message: expect.any(String), correlationId: expect.stringMatching(/^[0-9a-f]{32}$/), properties: {} });
  });

  it('mints tokens from the CLI that the server accepts, and enforces scopes', async () => {
    expect((await get('/v1.0/relationship-types', auth(mint('--member', '4')))).status).toBe(200);
    expect((await get('/v1.0/relationship-types', auth(mint('--admin')))).status).toBe(200);
    const noRead = await get('/v1.0/relationship-types', auth(mint('--application', '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a01', '--scope', 'crs.write')));
    expect(noRead.status).toBe(403);
    expect(((await noRead.json()) as any).subCode).toBe('MissingScope');
  });

  it('serves the demo data through every function with member tokens', async () => {
    const manager = mint('--member', '2');
    const profiles = (await (await get('/v1.0/contacts/1/member-profiles', auth(manager))).json()) as any;
    expect(profiles.advisors.map((a: { id: number }) => a.id)).toEqual([5]);
    const groups = (await (await get('/v2.0/contacts/1/contactgroups?language=fr', auth(mint('--member', '5')))).json()) as any;
    expect(groups.groups[0]).toMatchObject({ groupName: 'Muster household', groupExternalId: 'HH-MUSTER' });
    expect(groups.groups[0].contacts[0].relationshipType.name).toBe('Membre principal du groupe');
    const admin = mint('--admin');
    const check = async (identity: number) =>
      ((await (await get(`/v1.0/contact-groups/identities/4d2c1b0a-0000-4000-8000-00000000000${identity}/Account/1001/access`, auth(admin))).json()) as any).hasAccess;
    expect([await check(1), await check(2), await check(5), await check(3), await check(6)]).toEqual([true, true, true, false, false]);
    const relatives = (await (await get('/v1.1/contacts/1/relatives', auth(manager))).json()) as { contactId: number; relationshipType: { systemName: string } }[];
    expect(relatives.map((r) => [r.contactId, r.relationshipType.systemName])).toEqual([[2, 'Spouse']]);
    const reciprocal = (await (await get('/v1.1/contacts/4/relatives', auth(mint('--admin')))).json()) as { contactId: number; relationshipType: { systemName: string } }[];
    expect(reciprocal.map((r) => [r.contactId, r.relationshipType.systemName])).toEqual([[3, 'Child']]);
    expect((await get('/v1.0/contacts/3/member-profiles', auth(manager))).status).toBe(403);
  });

  it('runs events through the ingest handler and publishes the committed changes', async () => {
    const res = await fetch(`${base}/_local/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { id: 'e2e-1', 'detail-type': 'ContactUpserted', source: 'e2e', detail: { contactUid: 'e2e00000-0000-4000-8000-000000000001', lastName: 'Endtoend', version: 1 } },
        { id: 'e2e-2', 'detail-type': 'MemberUpserted', source: 'e2e', detail: { memberId: 1, identityId: '4d2c1b0a-0000-4000-8000-000000000001', parentMemberId: 4, firstName: 'x', lastName: 'y', version: 9 } },
      ]),
    });
    expect(await res.json()).toEqual({
      results: [
        { id: 'e2e-1', status: 'applied', contactId: 25 },
        { id: 'e2e-2', status: 'rejected', reason: expect.stringMatching(/cycle/) },
      ],
    });
    await expect
      .poll(
        async () =>
          ((await (await get('/_local/outbound')).json()) as { events: { 'detail-type': string; detail: { contactId?: number; correlationId?: string } }[] }).events.find(
            (e) => e['detail-type'] === 'ContactRegistered' && e.detail.contactId === 25,
          )?.detail.correlationId,
        { timeout: 10_000 },
      )
      .toBe('e2e-1'); // the correlation id of a change made by an event is the event's id
  });

  it('serves the OpenAPI document and the docs page without a token', async () => {
    const doc = (await (await get("/openapi.json")).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1.0/relationship-types');
    const page = await get('/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<redoc spec-url="/openapi.json"');
    const script = await get('/docs/redoc.standalone.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await script.text()).length).toBeGreaterThan(500_000);
  });

  it('stops on Ctrl-C and takes DynamoDB Local down with it', async () => {
    expect(await portOpen(dynamoEndpoint)).toBe(true);
    server.kill('SIGINT');
    const code = await new Promise((r) => server.once('exit', r));
    expect(code).toBe(0);
    await expect.poll(() => portOpen(dynamoEndpoint), { timeout: 5_000 }).toBe(false);
  });
});
