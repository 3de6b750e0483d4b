// DynamoDB Local (AWS's emulator) without Docker: fetched once from the npm registry, run with Java >= 17.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, readdirSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** The npm package that carries DynamoDB Local 1.25.1 (folder package/emulator); see TOOLCHAIN.md. */
export const EMULATOR_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
export const DATA_DIR = resolve(process.env.CRS_DATA_DIR ?? '.data');

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java >= 17 (${detail}).\n` +
        '  Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17),\n' +
        '  or point the service at another DynamoDB with DYNAMODB_ENDPOINT=http://host:port.',
    );
    this.name = 'JavaMissingError';
  }
}

/** Java major version, or a JavaMissingError. */
export function checkJava(): number {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new JavaMissingError('no `java` on PATH');
  const text = `${out.stderr}${out.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!Number.isFinite(major) || major < 17) throw new JavaMissingError(`found ${match?.[0] ?? 'an unknown version'}`);
  return major;
}

/** Fetches the emulator into .data/dynamodb-local once (npm pack + extract only package/emulator, ~64 MB). */
export function ensureEmulator(dataDir = DATA_DIR): string {
  // CRS_EMULATOR_DIR lets tests with their own data dir share the one download.
  const target = process.env.CRS_EMULATOR_DIR ? resolve(process.env.CRS_EMULATOR_DIR) : join(dataDir, 'dynamodb-local');
  if (existsSync(join(target, 'DynamoDBLocal.jar'))) return target;
  const work = join(dataDir, `.fetch-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const pack = spawnSync('npm', ['pack', EMULATOR_PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (pack.status !== 0) throw new Error(`npm pack ${EMULATOR_PACKAGE} failed: ${pack.stderr}`);
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no archive');
    const untar = spawnSync('tar', ['-xzf', join(work, tgz), '-C', work, 'package/emulator'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`extracting the emulator failed: ${untar.stderr}`);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

export interface RunningDynamoDb {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and resolves once it answers. In memory unless `dbPath` is given. The JVM is tuned to start
 * fast (tests, `npm start`); `throughput` lets it compile fully and gives it a larger heap (benchmarks).
 */
export async function startDynamoDbLocal(options: { port?: number; dbPath?: string; dataDir?: string; throughput?: boolean } = {}): Promise<RunningDynamoDb> {
  checkJava();
  const emulator = ensureEmulator(options.dataDir);
  const port = options.port ?? (await freePort());
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child = spawn(
    'java',
    [
      ...(options.throughput ? ['-Xmx4g'] : ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']),
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      ...storage,
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  // Never leave a stray Java process behind, whatever ends this one.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  await waitUntilReady(endpoint, child, () => output);
  return { endpoint, process: child, stop };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within 30 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}
