// Benchmarks that print figures (never asserted): latency and throughput per endpoint through the local gateway on
// DynamoDB Local, DynamoDB requests and round trips per request, bundle sizes and module init time per function.
//   npm run bench            (DYNAMODB_ENDPOINT=… to use another DynamoDB; BENCH_REQUESTS, BENCH_CONCURRENCY)
import './env.js';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { startDynamoDbLocal, type RunningDynamoDb } from '../infra/local/dynamodb-local.js';
import { ensureTable } from '../infra/local/table-setup.js';
import { createGateway } from '../infra/local/gateway.js';
import { localHandlers } from '../infra/local/handlers.js';
import { createVerifier, mintToken, type TokenClaims } from '../infra/local/jwt.js';
import { loadDemo } from '../infra/local/demo-loader.js';
import { demoIdentityOf } from '../infra/local/demo-data.js';
import { loadSettings } from '../lib/config.js';
import { createDb } from '../lib/store/client.js';
import { attachRequestLog } from '../lib/store/request-log.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const root = resolve(import.meta.dirname, '..');

interface Scenario {
  name: string;
  method: string;
  path: string;
  caller: TokenClaims;
  body?: unknown;
}

const admin: TokenClaims = { sub: 'bench-admin', caller_type: 'application', scope: 'crs.read crs.write crs.admin' };
const member = (id: number): TokenClaims => ({ sub: demoIdentityOf(id), caller_type: 'member', member_id: id, scope: 'crs.read crs.write' });
const identity = (id: number) => demoIdentityOf(id);

const SCENARIOS: Scenario[] = [
  { name: 'relationship-types (no DynamoDB)', method: 'GET', path: '/v1.0/relationship-types', caller: admin },
  { name: 'member-profiles (member 1, 2 levels up)', method: 'GET', path: '/v1.0/contacts/1/member-profiles', caller: member(1) },
  { name: 'profile-picture', method: 'GET', path: '/v1.0/contacts/2/member/4/profile-picture', caller: member(2) },
  { name: 'member-access search (24 uids)', method: 'POST', path: '/v1.0/contacts/member-access/search', caller: admin,
    body: { contactUids: Array.from({ length: 24 }, (_, i) => `c0a7c7e0-0000-4000-8000-${String(i + 1).padStart(12, '0')}`) } },
  { name: 'check contact→group', method: 'GET', path: '/v1.0/contact-groups/1/contacts/1/access', caller: admin },
  { name: 'check identity→group', method: 'GET', path: `/v1.0/contact-groups/1/identities/${identity(1)}/access`, caller: admin },
  { name: 'check contact→entity', method: 'GET', path: '/v1.0/contact-groups/contacts/1/Account/1001/access', caller: admin },
  { name: 'check identity→entity', method: 'GET', path: `/v1.0/contact-groups/identities/${identity(2)}/Account/1001/access`, caller: admin },
  { name: 'batch of 100 checks', method: 'POST', path: '/v1.0/contact-groups/access/batch', caller: admin,
    body: { checks: Array.from({ length: 100 }, (_, i) => (i % 2 ? { identityId: identity((i % 7) + 1), entityType: 'Account', entityId: 1001 } : { contactId: (i % 24) + 1, contactGroupId: (i % 3) + 1 })) } },
  { name: 'GET group', method: 'GET', path: '/v1.0/contactgroups/1', caller: member(5) },
  { name: 'GET groups of a contact', method: 'GET', path: '/v2.0/contacts/1/contactgroups', caller: member(5) },
  { name: 'search groups by name', method: 'POST', path: '/v1.0/contact-groups/search', caller: admin, body: { name: 'h' } },
  { name: 'relatives', method: 'GET', path: '/v1.1/contacts/1/relatives', caller: member(5) },
  { name: 'PUT members (same set: read only)', method: 'PUT', path: '/v1.0/contacts/1/members', caller: admin, body: { memberIds: [5] } },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  let dynamo: RunningDynamoDb | undefined;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    dynamo = await startDynamoDbLocal();
    endpoint = dynamo.endpoint;
  }
  try {
    const tableName = `crs-bench-${Date.now().toString(36)}`;
    await ensureTable(endpoint, tableName);
    const db = createDb({ tableName, endpoint });
    const log = attachRequestLog(db);
    const runtime = { settings: { ...loadSettings({}), tableName, dynamodbEndpoint: endpoint }, db };
    const handlers = localHandlers(runtime);
    await loadDemo(db, handlers.ingest);
    const keys = mkdtempSync(join(tmpdir(), 'crs-bench-'));
    const server = createGateway({ handlers: handlers.http, ingest: handlers.ingest, verify: await createVerifier(keys), defaultLanguage: 'en' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    console.log(`\nEndpoints through the local gateway on DynamoDB Local: ${REQUESTS} requests each, concurrency ${CONCURRENCY}, node ${process.version}`);
    console.log('scenario'.padEnd(40), 'status', 'DDB req', 'rounds', '   p50 ms', '   p95 ms', '   p99 ms', '   req/s');
    for (const s of SCENARIOS) {
      const token = await mintToken(s.caller, { dataDir: keys });
      const send = () =>
        fetch(`${base}${s.path}`, {
          method: s.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(s.body !== undefined && { body: JSON.stringify(s.body) }),
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      log.reset();
      const status = await send();
      const requests = log.commands.length;
      const rounds = log.rounds();
      for (let i = 0; i < 30; i++) await send();
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < REQUESTS) {
            const t = performance.now();
            await send();
            latencies.push(performance.now() - t);
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      console.log(
        s.name.padEnd(40),
        String(status).padStart(6),
        String(requests).padStart(7),
        String(rounds).padStart(6),
        percentile(latencies, 50).toFixed(1).padStart(9),
        percentile(latencies, 95).toFixed(1).padStart(9),
        percentile(latencies, 99).toFixed(1).padStart(9),
        (REQUESTS / elapsed).toFixed(0).padStart(8),
      );
    }
    server.close();
  } finally {
    await dynamo?.stop();
  }

  console.log('\nBundles (esbuild, minified ESM for node22, as CDK builds them) and module init time in a fresh Node process');
  console.log('function'.padEnd(24), '     KB', ' gzip KB', ' init ms');
  const out = mkdtempSync(join(tmpdir(), 'crs-bundles-'));
  for (const fn of ['contact-access', 'contact-group-access', 'contact-groups', 'contact-relatives', 'docs', 'ingest', 'publish']) {
    const file = join(out, `${fn}.mjs`);
    await build({
      entryPoints: [join(root, 'functions', fn, 'handler.ts')],
      bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node22', mainFields: ['module', 'main'], outfile: file, logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const size = statSync(file).size;
    const gzip = gzipSync(readFileSync(file)).length;
    const init = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(file)}); console.log((performance.now() - t).toFixed(0));`], {
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-central-1', EVENT_BUS_NAME: 'bench', LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    }).trim();
    console.log(fn.padEnd(24), (size / 1024).toFixed(0).padStart(7), (gzip / 1024).toFixed(0).padStart(8), init.padStart(8));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
