// Benchmarks that print figures (never asserted), side by side in one run:
// 1. every function's bundle as CDK builds it (KB minified and gzipped) and its cold import: a fresh Node process
//    importing the bundle with the deployed function's environment, against a bare `node -e 0` (interleaved pairs),
//    and against the import of the baseline's bundle (the service's DynamoDB client and one GetItem) and of the same
//    GetItem through the AWS SDK; for the baselines and the access checks, also a fresh process that imports the bundle
//    and answers its first call on DynamoDB Local (Lambda's init plus first invocation);
// 2. every endpoint through the local gateway (real JWTs) on DynamoDB Local, against a baseline function that does one
//    GetItem and nothing else behind the same gateway, route and token, in alternating slices: requests/s, p50/p95/p99,
//    DynamoDB requests and round trips per request, and the ratio to the baseline; a first row puts a second reference
//    (one BatchGetItem of the two items a check reads, nothing else) against the same baseline.
//   npm run bench   (BENCH_ONLY=cold|gateway; BENCH_PAIRS, BENCH_REQUESTS, BENCH_CONCURRENCY; DYNAMODB_ENDPOINT=… for another
//   DynamoDB; BENCH_COMPARE=<commit> adds that commit's bundles to the cold imports, measured in the same rounds)
import './env.js';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FUNCTION_NAMES, REPO_ROOT, entryOf, type FunctionName } from '../infra/build/bundling.js';
import { MEMORY_SIZES } from '../infra/constructs/memory-sizes.js';
import { BUNDLE_BUDGETS } from '../infra/build/bundle-budgets.js';
import { CONFIGS } from '../infra/config.js';
import { functionEnvironment } from '../infra/constructs/service-function.js';
import { buildBundles, measureColdStarts } from './support/cold-start.js';
import { alternatingLoad, type LoadFigures } from './support/load.js';
import { localTable, type LocalTable } from './support/local-table.js';
import { benchGateways } from './support/gateways.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ONLY = process.env.BENCH_ONLY;
const COMPARE = process.env.BENCH_COMPARE;
const BASELINE = 'baseline (one GetItem)';
/** The same GetItem through the AWS SDK: what the SDK costs a cold start and a request. */
const SDK_BASELINE = 'one GetItem through the AWS SDK';
/** Floors without DynamoDB: an empty handler (Node's ESM loader), and Node's own network and crypto modules. */
const EMPTY_FLOOR = 'floor: an empty handler';
const NETWORK_FLOOR = "floor: Node's https, tls, net and crypto modules";
/** The first call each measured bundle answers (a direct invocation where the function has one). */
const FIRST_CALLS: Record<string, { event: unknown }> = {
  [BASELINE]: { event: {} },
  [SDK_BASELINE]: { event: {} },
  [EMPTY_FLOOR]: { event: {} },
  [NETWORK_FLOOR]: { event: {} },
  'contact-group-access': { event: { checks: [{ contactId: 1, contactGroupId: 1 }] } },
};
const HTTP_FUNCTIONS = new Set<string>(['contact-access', 'contact-group-access', 'contact-groups', 'contact-relatives', 'docs']);

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const ms = (value: number) => value.toFixed(1);
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

/** What a deployed function's process sees: Lambda's own variables, then the service's (infra/constructs/service-function.ts). */
function deployedEnvironment(bundleName: string, file: string, table: LocalTable): NodeJS.ProcessEnv {
  const name = bundleName.split(' @')[0]!;
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: dirname(file),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `contact-relationships-bench-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_SIZES[name as FunctionName]?.mb ?? 1024),
    AWS_REGION: 'eu-central-1',
    AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-session-token',
    // Only for Node 20 on this machine (Lambda runs Node 22): the SDK's notice would be a cost Lambda does not pay.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...functionEnvironment(CONFIGS.prod),
    // The first calls read the bench's table on DynamoDB Local (the imports alone never reach it).
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    EVENT_BUS_NAME: 'contact-relationships-bench',
    CURSOR_SECRET: 'bench-cursor-secret',
  };
}

/**
 * BENCH_COMPARE=<commit>: that commit's functions too (from `git archive`, built with its own infra/build/bundling.ts),
 * named `<function> @<commit>`, measured in the same interleaved rounds: before and after, side by side in one run.
 */
async function bundlesAt(ref: string) {
  const dir = mkdtempSync(join(tmpdir(), 'crs-bench-compare-'));
  execFileSync('sh', ['-c', `git -C "${REPO_ROOT}" archive "${ref}" | tar -x -C "${dir}"`]);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const settings = join(dir, 'infra/build/bundling.ts');
  if (!existsSync(settings)) throw new Error(`BENCH_COMPARE=${ref}: no infra/build/bundling.ts at that commit`);
  const other = (await import(pathToFileURL(settings).href)) as typeof import('../infra/build/bundling.js');
  const entries = other.FUNCTION_NAMES.map((name) => ({ name: `${name} @${ref}`, entry: other.entryOf(name) }));
  // Its first version (b9f09a2) built from a function's name rather than its entry.
  const takesName = /esbuildOptions\(name: string/.test(readFileSync(settings, 'utf8'));
  const options: typeof other.esbuildOptions = (entry, outfile) => other.esbuildOptions(takesName ? basename(dirname(entry)) : entry, outfile);
  return buildBundles(entries, options);
}

async function coldStarts(table: LocalTable) {
  const entries = [
    ...FUNCTION_NAMES.map((name) => ({ name, entry: entryOf(name) })),
    { name: BASELINE, entry: resolve(import.meta.dirname, 'baseline/handler.ts') },
    { name: SDK_BASELINE, entry: resolve(import.meta.dirname, 'baseline/sdk-handler.ts') },
    { name: EMPTY_FLOOR, entry: resolve(import.meta.dirname, 'baseline/empty-handler.ts') },
    { name: NETWORK_FLOOR, entry: resolve(import.meta.dirname, 'baseline/network-handler.ts') },
  ];
  const bundles = [...(await buildBundles(entries)), ...(COMPARE ? await bundlesAt(COMPARE) : [])];
  const files = new Map(bundles.map((b) => [b.name, b.file]));
  console.log(`\n## Bundles and cold import (${PAIRS} interleaved pairs with a bare \`node -e 0\`, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()})\n`);
  const results = measureColdStarts(bundles, PAIRS, (name) => deployedEnvironment(name, files.get(name)!, table), (name) => FIRST_CALLS[name.split(' @')[0]!]);
  // The import / baseline column puts each import next to the baseline's (the service's client and one GetItem): the
  // floor of any function that reads DynamoDB.
  const floor = results.find((r) => r.name === BASELINE)!;
  console.log(row(['function', 'KB', 'gzip KB', 'budget KB', 'bare node ms', 'import ms', 'ratio', 'bare CPU ms', 'import CPU ms', 'CPU ratio', 'import / baseline import', 'import + first call ms', 'first call ratio']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const r of results) {
    const budget = (BUNDLE_BUDGETS as Record<string, { budgetKB: number }>)[r.name]?.budgetKB;
    const name = HTTP_FUNCTIONS.has(r.name.split(' @')[0]!) ? r.name.replace(/^([\w-]+)/, '$1 (HTTP)') : r.name;
    console.log(row([name, kb(r.bytes), kb(r.gzipBytes), budget ?? '–', ms(r.bareMs), ms(r.importMs), `${r.ratio.toFixed(2)}×`, ms(r.bareCpuMs), ms(r.importCpuMs), `${r.cpuRatio.toFixed(2)}×`, `${(r.importMs / floor.importMs).toFixed(2)}×`, r.firstCallMs === undefined ? '–' : ms(r.firstCallMs), r.firstCallRatio === undefined ? '–' : `${r.firstCallRatio.toFixed(2)}×`]));
  }
}

async function throughGateway(table: LocalTable) {
  const { createSdkDb } = await import('../lib/store/sdk-client.js');
  const { attachRequestLog } = await import('../lib/store/request-log.js');
  const { SCENARIOS } = await import('./support/scenarios.js');
  const { createHandler: createBaseline, createTwoItemHandler } = await import('./baseline/handler.js');

  const gateways = await benchGateways(table);
  try {
    const log = attachRequestLog(gateways.db);
    const service = await gateways.service();
    // The baseline: every route of the API served by the one-GetItem function (its own client, as a function has).
    const baseline = await gateways.everyRoute(createBaseline({ db: gateways.newDb() }));
    const twoItems = await gateways.everyRoute(createTwoItemHandler({ db: gateways.newDb() }));
    // The baseline's GetItem through the AWS SDK instead of the service's client: what the SDK costs per request.
    const sdkGetItem = await gateways.everyRoute(createBaseline({ db: createSdkDb({ tableName: table.tableName, endpoint: table.endpoint }) }));

    console.log(`\n## Through the local gateway on DynamoDB Local (${REQUESTS} requests per side, concurrency ${CONCURRENCY}, alternating slices)\n`);
    console.log('Baseline: the same route, token and gateway, served by a function that does one strongly consistent GetItem and nothing else.\n');
    console.log(row(['scenario', 'status', 'DDB req', 'rounds', 'req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'baseline p50', 'baseline p99', 'ratio']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
    // The first row is the second reference: the two items a check reads, in one BatchGetItem, and nothing else.
    const reference = { ...SCENARIOS[0]!, name: 'reference: BatchGetItem of the 2 items a check reads, nothing else', target: twoItems };
    const sdkReference = { ...SCENARIOS[0]!, name: 'reference: the baseline GetItem through the AWS SDK', target: sdkGetItem };
    // The first check once more, against the baseline as the issue first defined it: its GetItem through the AWS SDK.
    const againstSdk = { ...SCENARIOS[0]!, name: `${SCENARIOS[0]!.name}, against the GetItem through the AWS SDK`, target: service, against: sdkGetItem };
    for (const s of [reference, sdkReference, ...SCENARIOS.map((scenario) => ({ ...scenario, target: service })), againstSdk]) {
      const token = await gateways.token(s.caller);
      const sender = (base: string) => () =>
        fetch(`${base}${s.path}`, {
          method: s.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(s.body !== undefined && { body: JSON.stringify(s.body) }),
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      log.reset();
      const status = await sender(s.target)();
      const requests = s.target === service ? log.commands.length : 1;
      const rounds = s.target === service ? log.rounds() : 1;
      const { scenario, baseline: base } = await alternatingLoad(sender(s.target), sender('against' in s ? String(s.against) : baseline), {
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        // Short slices: on a shared machine the load drifts within seconds; both sides must see the same drift.
        slices: 10,
        warmup: 100,
      });
      const cells = (f: LoadFigures) => [f.requestsPerSecond.toFixed(0), ms(f.p50), ms(f.p99)];
      console.log(row([s.name, status, requests, rounds, ...cells(scenario), ...cells(base), `${(scenario.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×`]));
    }
  } finally {
    gateways.close();
  }
}

async function main() {
  console.log(`# npm run bench — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GB`);
  const table = await localTable();
  try {
    if (ONLY !== 'gateway') await coldStarts(table);
    if (ONLY !== 'cold') await throughGateway(table);
  } finally {
    await table.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
