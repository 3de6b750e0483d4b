// A real HTTP server (the local gateway with real JWT verification) over a fresh table, for integration/e2e tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestDb, type TestDb } from './db.js';
import { loadSettings, type Settings } from '../../lib/config.js';
import type { Runtime } from '../../lib/runtime.js';
import { createGateway } from '../../infra/local/gateway.js';
import { localHandlers } from '../../infra/local/handlers.js';
import { createVerifier, mintToken, type TokenClaims } from '../../infra/local/jwt.js';
import { startStreamTail } from '../../infra/local/stream-tail.js';
import { projectChanges } from '../../lib/use-cases/reach-projection.js';

const keyDir = mkdtempSync(join(tmpdir(), 'crs-test-keys-'));

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestServer {
  url: string;
  db: TestDb;
  runtime: Runtime;
  token(claims: Partial<TokenClaims> & Pick<TokenClaims, 'caller_type'>): Promise<string>;
  request<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  ingest(events: unknown[]): Promise<{ results: { id: string; status: string; reason?: string; contactId?: number }[] }>;
  /** With `projection`: resolves once every change committed so far is in the lookups' reach index. */
  projected(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestServer(options: { settings?: Partial<Settings>; db?: TestDb; corsOrigins?: string[]; projection?: boolean } = {}): Promise<TestServer> {
  const db = options.db ?? (await createTestDb());
  // The local stand-in for the `project` function: the table's stream → the lookups' reach index, as `npm start` runs it.
  const tail = options.projection
    ? await startStreamTail({ endpoint: db.endpoint, tableName: db.tableName, pollIntervalMs: 50, onChanges: async (changes) => void (await projectChanges(db, changes)) })
    : undefined;
  const settings: Settings = { ...loadSettings({}), tableName: db.tableName, dynamodbEndpoint: db.endpoint, ...options.settings };
  const runtime: Runtime = { settings, db };
  const handlers = localHandlers(runtime);
  const server = createGateway({
    handlers: handlers.http,
    ingest: handlers.ingest,
    invocations: handlers.invocations,
    verify: await createVerifier(keyDir),
    defaultLanguage: settings.defaultLanguage,
    ...(options.corsOrigins && { corsOrigins: options.corsOrigins }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    db,
    runtime,
    token: (claims) =>
      mintToken(
        { sub: claims.sub ?? 'test-app', scope: claims.scope ?? 'crs.read crs.write', ...claims } as TokenClaims,
        { dataDir: keyDir },
      ),
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined && { body }) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. the docs page)
      }
      return { status: res.status, headers: res.headers, body: parsed as never, text };
    },
    ingest: async (events) => (await handlers.ingest(events)) as never,
    async projected() {
      if (!tail) throw new Error('start the test server with projection: true');
      await tail.caughtUp();
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tail?.stop();
    },
  };
}

/** Claims of common callers. */
export const callers = {
  admin: (): Pick<TokenClaims, 'caller_type' | 'sub' | 'scope'> => ({ caller_type: 'application', sub: 'admin-app', scope: 'crs.read crs.write crs.admin' }),
  app: (participantUid?: string, scope = 'crs.read crs.write'): Partial<TokenClaims> & Pick<TokenClaims, 'caller_type'> => ({
    caller_type: 'application',
    sub: 'test-app',
    scope,
    ...(participantUid && { participant_uid: participantUid }),
  }),
  member: (memberId: number, identityId: string, scope = 'crs.read crs.write', participantUid?: string): Partial<TokenClaims> & Pick<TokenClaims, 'caller_type'> => ({
    caller_type: 'member',
    sub: identityId,
    member_id: memberId,
    scope,
    ...(participantUid && { participant_uid: participantUid }),
  }),
  contact: (contactId: number, uid: string, scope = 'crs.read crs.write'): Partial<TokenClaims> & Pick<TokenClaims, 'caller_type'> => ({
    caller_type: 'contact',
    sub: uid,
    contact_id: contactId,
    scope,
  }),
};
