// The service as the soak drives it: the local gateway (real JWT verification, HTTP API v2 events, the same handlers)
// over a table on DynamoDB Local — a fresh table on a running one, or one of its own persisted under -dbPath so that it
// can be stopped and started again while the soak runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { freePort, startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.js';
import { ensureTable } from '../../infra/local/table-setup.js';
import { createGateway } from '../../infra/local/gateway.js';
import { localHandlers } from '../../infra/local/handlers.js';
import { createVerifier, mintToken, type TokenClaims } from '../../infra/local/jwt.js';
import { loadSettings } from '../../lib/config.js';
import { createDb, type Db } from '../../lib/store/client.js';
import { startStreamTail } from '../../infra/local/stream-tail.js';
import { projectChanges } from '../../lib/use-cases/reach-projection.js';
import { logger } from '../../lib/observability/logger.js';

/** An error with its causes, for a report: `Name: message (at …)`, each cause after `caused by`. */
function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return JSON.stringify(error) ?? String(error);
  const at = (error.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' ');
  const own = `${error.name}: ${error.message}${'code' in error ? ` (code ${String(error.code)})` : ''} ${at}`;
  return depth < 4 && error.cause !== undefined ? `${own} caused by ${describeError(error.cause, depth + 1)}` : own;
}

export interface SoakServer {
  url: string;
  db: Db;
  token(claims: TokenClaims): Promise<string>;
  /** Resolves once every change committed so far is in the lookups' reach index (the local `project` function). */
  projected(): Promise<void>;
  /**
   * The unexpected errors the functions logged (what a 500 answer hides from its client): name, message, the first
   * lines of the stack and the causes, with the time. The logs themselves are silent in tests.
   */
  unexpectedErrors(): readonly string[];
  /** Present when the soak runs its own DynamoDB Local: stop it (as a crash would) and start it again on the same data. */
  dynamo?: { stop(): Promise<void>; start(): Promise<void> };
  close(): Promise<void>;
}

/**
 * `endpoint`: a running DynamoDB Local (a fresh table on it); else one of its own, in memory, or with `persist` under a
 * temporary -dbPath (what an outage needs: the data survives the stop).
 */
export async function startSoakServer(options: { endpoint?: string; tableName?: string; persist?: boolean } = {}): Promise<SoakServer> {
  const work = mkdtempSync(join(tmpdir(), 'crs-soak-'));
  let dynamo: RunningDynamoDb | undefined;
  let endpoint = options.endpoint;
  let port: number | undefined;
  const dbPath = join(work, 'dynamodb');
  if (!endpoint) {
    port = await freePort();
    dynamo = await startDynamoDbLocal({ port, ...(options.persist && { dbPath }) });
    endpoint = dynamo.endpoint;
  }
  const tableName = options.tableName ?? `crs-soak-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName);
  const db = createDb({ tableName, endpoint });
  const settings = { ...loadSettings({}), tableName, dynamodbEndpoint: endpoint };
  const unexpected: string[] = [];
  const logError = logger.error.bind(logger);
  logger.error = ((message: string, ...extra: unknown[]) => {
    unexpected.push(`${new Date().toISOString()} ${message}: ${extra.map(describeError).join('; ')}`);
    return logError(message, ...(extra as []));
  }) as typeof logger.error;
  const handlers = localHandlers({ settings, db });
  // The local stand-in for the `project` function, as `npm start` runs it. While DynamoDB Local is down its polls fail
  // and are retried (an outage soak counts on it).
  const tail = await startStreamTail({ endpoint, tableName, pollIntervalMs: 50, onError: () => {}, onChanges: async (changes) => void (await projectChanges(db, changes)) });
  const server = createGateway({ handlers: handlers.http, ingest: handlers.ingest, invocations: handlers.invocations, verify: await createVerifier(work), defaultLanguage: settings.defaultLanguage });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db,
    token: (claims) => mintToken(claims, { dataDir: work }),
    projected: () => tail.caughtUp(),
    unexpectedErrors: () => unexpected,
    ...(dynamo && options.persist && {
      dynamo: {
        // A crash, not a shutdown: whatever was in flight is cut off.
        stop: async () => {
          const running = dynamo!;
          await new Promise<void>((resolve) => {
            if (running.process.exitCode !== null || running.process.signalCode !== null) return resolve();
            running.process.once('exit', () => resolve());
            running.process.kill('SIGKILL');
          });
        },
        start: async () => {
          dynamo = await startDynamoDbLocal({ port, dbPath });
        },
      },
    }),
    close: async () => {
      logger.error = logError;
      await tail.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.doc.destroy();
      await dynamo?.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
