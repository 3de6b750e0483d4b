// Cold start of each function's bundle: its size as CDK builds it, and the wall time of a fresh Node process importing
// it, against a bare `node -e 0` in interleaved pairs (the machine's load drifts; neighbours in time share it). Where a
// first call is given, a third process imports the bundle and calls its handler once on DynamoDB Local: Lambda's cold
// start is the init and the first invocation, and work a bundle leaves to its first call (a lazily loaded module, a
// first connection) shows there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptions } from '../../infra/build/bundling.js';

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface ColdStart extends Bundle {
  /** Median wall ms of a bare `node -e 0` over this bundle's pairs. */
  readonly bareMs: number;
  /** Median wall ms of a fresh `node` importing the bundle (its top level runs, as in Lambda's init phase). */
  readonly importMs: number;
  /** importMs / bareMs: the figure. */
  readonly ratio: number;
  /** The same for the CPU time (user + system, all threads) the processes used: steadier than wall on a busy machine. */
  readonly bareCpuMs: number;
  readonly importCpuMs: number;
  readonly cpuRatio: number;
  /** Median wall ms of a fresh `node` importing the bundle and calling its handler once (undefined: no first call). */
  readonly firstCallMs?: number;
  /** firstCallMs / bareMs. */
  readonly firstCallRatio?: number;
}

/** A handler's first call: the event and context it gets, as JSON (a direct invocation or an HTTP event). */
export interface FirstCall {
  readonly event: unknown;
}

/** Each entry bundled as CDK bundles it; `options`: the esbuild settings (another checkout's, to compare commits). */
export async function buildBundles(entries: readonly { name: string; entry: string }[], options: typeof esbuildOptions = esbuildOptions): Promise<Bundle[]> {
  const out = mkdtempSync(join(tmpdir(), 'crs-bench-bundles-'));
  return Promise.all(
    entries.map(async ({ name, entry }) => {
      const file = join(out, name, 'index.mjs');
      await build(options(entry, file));
      return { name, file, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length };
    }),
  );
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Each process reports the CPU time it used on its way out (the wall time is measured from outside). */
const REPORT_CPU = 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));';

function run(args: readonly string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${child.stderr}`);
  return { wall, cpu: Number(child.stdout) };
}

/**
 * `pairs` rounds; in each, every bundle is imported right after its own bare `node -e 0`. The import is a dynamic
 * `import()` of the bundle, as Lambda's runtime loads a handler; `envOf` gives the bundle's process environment (what
 * the deployed function gets), the bare process gets PATH only.
 */
export function measureColdStarts(
  bundles: readonly Bundle[],
  pairs: number,
  envOf: (name: string) => NodeJS.ProcessEnv,
  firstCallOf: (name: string) => FirstCall | undefined = () => undefined,
): ColdStart[] {
  const bareEnv = { PATH: process.env.PATH };
  const samples = new Map(bundles.map((b) => [b.name, { bare: [] as number[], imported: [] as number[], bareCpu: [] as number[], importedCpu: [] as number[], called: [] as number[] }]));
  for (let round = 0; round < pairs; round++) {
    for (const bundle of bundles) {
      const s = samples.get(bundle.name)!;
      const bare = run(['-e', `0; ${REPORT_CPU}`], bareEnv);
      const imported = run(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); ${REPORT_CPU}`], envOf(bundle.name));
      s.bare.push(bare.wall);
      s.imported.push(imported.wall);
      s.bareCpu.push(bare.cpu);
      s.importedCpu.push(imported.cpu);
      const first = firstCallOf(bundle.name);
      if (first) {
        // The handler must answer (a failed first call would measure an error path): the process fails otherwise.
        const call = [
          `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
          `const out = await handler(${JSON.stringify(first.event)}, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'bench' });`,
          `const status = out?.statusCode ?? (out?.error ? 500 : 200); if (status >= 400) { console.error(JSON.stringify(out)); process.exit(1); }`,
          // Idle keep-alive sockets would hold the process open: Lambda freezes it instead.
          `${REPORT_CPU} process.exit(0);`,
        ].join('\n');
        s.called.push(run(['--input-type=module', '-e', call], envOf(bundle.name)).wall);
      }
    }
  }
  return bundles.map((bundle) => {
    const s = samples.get(bundle.name)!;
    const [bareMs, importMs, bareCpuMs, importCpuMs] = [median(s.bare), median(s.imported), median(s.bareCpu), median(s.importedCpu)];
    const firstCallMs = s.called.length > 0 ? median(s.called) : undefined;
    return {
      ...bundle,
      bareMs,
      importMs,
      ratio: importMs / bareMs,
      bareCpuMs,
      importCpuMs,
      cpuRatio: importCpuMs / bareCpuMs,
      ...(firstCallMs !== undefined && { firstCallMs, firstCallRatio: firstCallMs / bareMs }),
    };
  });
}
