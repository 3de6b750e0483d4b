// CPU profiles behind the figures of `npm run bench` (printed, never asserted): where a function's cold import goes,
// and where a check's CPU per request goes against the one-GetItem baseline's.
// 1. import: the function's bundle built as CDK builds it but unminified, imported by `--cpu-prof` fresh processes;
//    self time by source module (esbuild marks each module of the bundle with a `// path` comment) and by Node's own
//    modules, mean per process;
// 2. per request: the check `contact→group` and the baseline through the local gateway (real JWTs, DynamoDB Local),
//    profiled with the inspector; self time per request by module, and the process's CPU per request.
//   npm run bench:profile   (PROFILE_FUNCTION=contact-group-access, PROFILE_RUNS=6, PROFILE_REQUESTS=3000)
import './env.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { entryOf, esbuildOptions, type FunctionName } from '../infra/build/bundling.js';
import { localTable, type LocalTable } from './support/local-table.js';
import { benchGateways } from './support/gateways.js';

const FUNCTION = (process.env.PROFILE_FUNCTION ?? 'contact-group-access') as FunctionName;
const RUNS = Number(process.env.PROFILE_RUNS ?? 6);
const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 3000);
const CONCURRENCY = 8;

/** Self time (µs) per key over a profile's nodes. */
function selfTimeBy(profile: Profiler.Profile, keyOf: (node: Profiler.ProfileNode) => string, into = new Map<string, number>()) {
  const self = new Map<number, number>();
  profile.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  for (const node of profile.nodes) {
    const key = keyOf(node);
    into.set(key, (into.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  return into;
}

const top = (totals: Map<string, number>, divisor: number, unit: string, count = 15) =>
  [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `| ${key} | ${(us / divisor).toFixed(unit === 'ms' ? 2 : 1)} |`)
    .join('\n');

/** `node:internal/crypto/hash` → `node:internal/crypto`; a package's files → the package; ours → the file. */
function moduleOf(url: string, bundleModules?: { file: string; modules: string[] }, line = 0): string {
  if (bundleModules && url.endsWith(bundleModules.file)) return bundleModules.modules[line] ?? '(bundle)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1]!;
  const ours = url.match(/\/((?:lib|functions|infra|bench)\/.+)$/);
  return ours ? ours[1]! : url === '' ? '(native)' : url;
}

async function importProfile() {
  const dir = mkdtempSync(join(tmpdir(), 'crs-profile-'));
  const file = join(dir, 'index.mjs');
  await build({ ...esbuildOptions(entryOf(FUNCTION), file), minify: false, sourcemap: false });
  // Each line of the bundle → the module it comes from.
  const modules: string[] = [];
  let current = '(bundle prelude)';
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const marker = text.match(/^\/\/ ((?:node_modules\/(?:@[^/]+\/)?[^/]+)|(?:lib|functions)\/\S+)/);
      if (marker) current = marker[1]!.replace(/^node_modules\//, '');
      modules[line] = current;
    });
  const profiles = join(dir, 'profiles');
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, '--cpu-prof-interval', '50', '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)})`], {
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-central-1', TABLE_NAME: 'profile', EVENT_BUS_NAME: 'profile', CURSOR_SECRET: 'profile', LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`importing the unminified ${FUNCTION} bundle failed: ${child.stderr}`);
  }
  const totals = new Map<string, number>();
  const files = readdirSync(profiles);
  for (const f of files) {
    const profile = JSON.parse(readFileSync(join(profiles, f), 'utf8')) as Profiler.Profile;
    selfTimeBy(profile, (n) => moduleOf(n.callFrame.url, { file: 'index.mjs', modules }, n.callFrame.lineNumber), totals);
  }
  console.log(`\n## Import of \`${FUNCTION}\` (unminified bundle, ${files.length} fresh processes): self time by module, ms per process\n`);
  console.log('| module | ms |\n| --- | ---: |');
  console.log(top(totals, files.length * 1000, 'ms', 20));
}

async function requestProfile(table: LocalTable) {
  const { createHandler: createBaseline } = await import('./baseline/handler.js');
  const { SCENARIOS } = await import('./support/scenarios.js');
  const gateways = await benchGateways(table);
  const targets = [
    ['check contact→group', await gateways.service()],
    ['baseline (one GetItem)', await gateways.everyRoute(createBaseline({ db: gateways.newDb() }))],
  ] as const;
  const scenario = SCENARIOS[0]!;
  const token = await gateways.token(scenario.caller);
  const send = async (base: string, count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < count) await (await fetch(`${base}${scenario.path}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
      }),
    );
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  try {
    for (const [name, base] of targets) {
      await send(base, 300);
      await session.post('Profiler.start');
      const cpu = process.cpuUsage();
      const started = performance.now();
      await send(base, REQUESTS);
      const used = process.cpuUsage(cpu);
      const seconds = (performance.now() - started) / 1000;
      const { profile } = await session.post('Profiler.stop');
      const totals = selfTimeBy(profile, (n) => (moduleOf(n.callFrame.url) === '(native)' && n.callFrame.functionName ? `(native) ${n.callFrame.functionName}` : moduleOf(n.callFrame.url)));
      console.log(`\n## ${name}: ${REQUESTS} requests, ${(REQUESTS / seconds).toFixed(0)} req/s, process CPU ${((used.user + used.system) / 1000 / REQUESTS).toFixed(3)} ms per request (load generator, gateway, JWT and function in one process)\n`);
      console.log('| module | µs per request |\n| --- | ---: |');
      console.log(top(totals, REQUESTS, 'µs', 20));
    }
  } finally {
    session.disconnect();
    gateways.close();
  }
}

async function main() {
  console.log(`# npm run bench:profile — ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
  await importProfile();
  const table = await localTable();
  try {
    await requestProfile(table);
  } finally {
    await table.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
