// `npm start`: DynamoDB Local (or DYNAMODB_ENDPOINT), the table, the demo data, and the API at http://localhost:3000.
import './env.js';
import { printRequestLine, shortRequestLines } from './request-log.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, JavaMissingError, startDynamoDbLocal, type RunningDynamoDb } from './dynamodb-local.js';
import { ensureTable } from './table-setup.js';
import { createGateway } from './gateway.js';
import { createVerifier, mintToken } from './jwt.js';
import { localHandlers } from './handlers.js';
import { isEmpty, loadDemo } from './demo-loader.js';
import { DEMO_PARTICIPANTS } from './demo-data.js';
import { parseCorsOrigins } from '../../lib/http/cors.js';
import { startStreamTail, type StreamTail } from './stream-tail.js';

const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 3000);
const tableName = process.env.TABLE_NAME ?? 'contact-relationships';
process.env.TABLE_NAME = tableName;

let dynamo: RunningDynamoDb | undefined;
let tail: StreamTail | undefined;

async function main() {
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    const inMemory = args.has('--in-memory');
    console.log(`Starting DynamoDB Local (${inMemory ? 'in memory' : `data in ${join(DATA_DIR, 'dynamodb')}`}) …`);
    dynamo = await startDynamoDbLocal({ ...(!inMemory && { dbPath: join(DATA_DIR, 'dynamodb') }) });
    endpoint = dynamo.endpoint;
    process.env.DYNAMODB_ENDPOINT = endpoint;
  }
  await ensureTable(endpoint, tableName);
  // The runtime reads the same settings the deployed functions get from CDK (DATA_SEGREGATION, DEFAULT_LANGUAGE, LOG_LEVEL).
  const { createRuntime } = await import('../../lib/runtime.js');
  const { projectChanges } = await import('../../lib/use-cases/reach-projection.js');
  const runtime = createRuntime(process.env);
  // From LATEST, before the demo load: a fresh table's demo data is published and projected, an existing table's
  // history is not (its reach index is already there, or `npm run migrate` builds it).
  tail = await startStreamTail({ endpoint, tableName, onChanges: async (changes) => void (await projectChanges(runtime.db, changes)) });
  const handlers = localHandlers(runtime);
  if (await isEmpty(runtime.db)) {
    const { logger } = await import('../../lib/observability/logger.js');
    const level = logger.getLevelName();
    logger.setLogLevel('WARN'); // one line for the demo, not one per event
    const demo = await loadDemo(runtime.db, handlers.ingest);
    logger.setLogLevel(level);
    console.log(`Loaded the demo data set (${demo.events} events${demo.rejected ? `, ${demo.rejected} rejected` : ''}).`);
  }

  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(join(DATA_DIR, 'local.json'), JSON.stringify({ endpoint, tableName, port }, null, 2));

  const corsOrigins = parseCorsOrigins(process.env.CORS_ORIGINS);
  const server = createGateway({
    handlers: handlers.http,
    ingest: handlers.ingest,
    invocations: handlers.invocations,
    verify: await createVerifier(),
    defaultLanguage: runtime.settings.defaultLanguage,
    outbound: () => tail?.events() ?? [],
    corsOrigins,
    ...(shortRequestLines && { onRequest: printRequestLine }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  const token = await mintToken({ sub: 'local-app', caller_type: 'application', participant_uid: DEMO_PARTICIPANTS.alpineWealth, scope: 'crs.read crs.write' });
  console.log(`
Contact Relationship Service is running
  API:      http://localhost:${port}
  Docs:     http://localhost:${port}/docs  (OpenAPI: http://localhost:${port}/openapi.json)
  DynamoDB: ${endpoint} (table ${tableName})
  Settings: DATA_SEGREGATION=${runtime.settings.dataSegregation} DEFAULT_LANGUAGE=${runtime.settings.defaultLanguage} CORS_ORIGINS=${corsOrigins.join(',') || '(none)'}
  Log:      ${shortRequestLines ? 'one line per request (LOG_LEVEL=DEBUG for the functions\' JSON logs)' : `the functions' JSON logs at LOG_LEVEL=${process.env.LOG_LEVEL}`}

A token (application of participant ${DEMO_PARTICIPANTS.alpineWealth}, scope "crs.read crs.write"); in another shell:
export TOKEN=${token}

Try:
curl -s -H "Authorization: Bearer $TOKEN" "http://localhost:${port}/v1.0/relationship-types?language=de"

More tokens: npm run -s token -- --member 4   |   --admin   |   --contact 1   |   --application <participantUid>
Press Ctrl-C to stop.
`);

  const shutdown = async () => {
    server.close();
    await tail?.stop();
    await dynamo?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(async (error) => {
  if (error instanceof JavaMissingError) console.error(error.message);
  else console.error(error);
  await tail?.stop();
  await dynamo?.stop();
  process.exit(1);
});
