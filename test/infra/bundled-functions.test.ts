// The bundles as deployed, run the way Lambda runs them: a fresh Node process with the function's environment imports
// the bundle and invokes its handler. The service's DynamoDB client inside signs with the credentials of the environment
// (as Lambda sets a role's) and reaches DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB, the SDK's own setting.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryOf, esbuildOptions } from '../../infra/build/bundling.js';
import { functionEnvironment } from '../../infra/constructs/service-function.js';
import { CONFIGS } from '../../infra/config.js';
import { loadDemo } from '../../infra/local/demo-loader.js';
import { createHandler as createIngest } from '../../functions/ingest/handler.js';
import { loadSettings } from '../../lib/config.js';
import { createTestDb, type TestDb } from '../support/db.js';

const out = mkdtempSync(join(tmpdir(), 'crs-bundled-'));
const bundle = join(out, 'contact-group-access', 'index.mjs');
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb('crs-bundled');
  await loadDemo(db, createIngest({ settings: loadSettings({}), db }));
  await build(esbuildOptions(entryOf('contact-group-access'), bundle));
}, 120_000);

/** Imports the bundle in a fresh process and passes it one event; `env` is added to the deployed environment. */
function invoke(event: unknown, env: Record<string, string> = {}) {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const context = { awsRequestId: 'req-1', functionName: 'f', getRemainingTimeInMillis: () => 10000 };
    process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT), context)));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      ...functionEnvironment(CONFIGS.prod),
      LOG_LEVEL: 'SILENT',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: db.tableName,
      EVENT: JSON.stringify(event),
      ...env,
    },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const admin = { sub: 'bundle-test', caller_type: 'application', scope: 'crs.read crs.admin' };
const httpEvent = (path: string, claims: Record<string, unknown> = admin) => ({
  version: '2.0',
  routeKey: `GET ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'localhost' },
  requestContext: {
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    authorizer: { jwt: { claims, scopes: null } },
    requestId: 'r', routeKey: `GET ${path}`, stage: '$default', time: '', timeEpoch: 0, accountId: '1', apiId: 'local', domainName: 'localhost', domainPrefix: 'localhost',
  },
  isBase64Encoded: false,
});

describe('contact-group-access bundle, run as Lambda runs it', () => {
  it('answers a check over HTTP, with the credentials from the environment', () => {
    const run = invoke(httpEvent('/v1.0/contact-groups/1/contacts/1/access'));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 200, body: JSON.stringify({ hasAccess: true }) });
  });

  it('answers the batch by direct invocation', () => {
    const run = invoke({ checks: [{ contactId: 1, contactGroupId: 1 }, { contactId: 1, contactGroupId: 999 }] });
    expect(JSON.parse(run.stdout)).toEqual({ results: [{ hasAccess: true }, { hasAccess: false }] });
  });

  it('finds no credentials where the environment has none (it reads the environment only)', () => {
    const run = invoke({ checks: [{ contactId: 1, contactGroupId: 1 }] }, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' });
    // The function's own error body: the client failed before any request left.
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { status: 500, code: 'General' } });
  });

  it('holds no AWS SDK client: no credential chain, no event-stream codec, no smithy middleware stack', () => {
    const code = readFileSync(bundle, 'utf8');
    for (const absent of ['defaultProvider::fromSSO', 'defaultProvider::fromIni', 'AssumeRoleWithWebIdentity', 'EventStreamCodec', 'DynamoDBClient', 'middlewareStack']) expect(code).not.toContain(absent);
  });
});
