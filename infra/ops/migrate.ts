// `npm run migrate -- [--table <name>] [--endpoint <url>] [--region <region>] [--dry-run]`
// Upgrades a table written by release 0.1.0 in place (see lib/store/migrations/release-0.2.ts). Without --table and
// --endpoint it migrates the local server's table (.data/local.json); against AWS it uses the usual credentials.
import '../local/env.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR } from '../local/dynamodb-local.js';
import { createDb } from '../../lib/store/client.js';
import { SDK_TIMEOUTS } from '../../lib/aws/deadline.js';
import { migrateToRelease02 } from '../../lib/store/migrations/release-0.2.js';

const { values } = parseArgs({
  options: { table: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});

function target(): { tableName: string; endpoint?: string | undefined } {
  if (values.table) return { tableName: values.table, endpoint: values.endpoint ?? process.env.DYNAMODB_ENDPOINT };
  const file = join(DATA_DIR, 'local.json');
  if (!existsSync(file)) {
    console.error('No --table given and no local server recorded in .data/local.json (start it once with npm start).');
    process.exit(2);
  }
  const local = JSON.parse(readFileSync(file, 'utf8')) as { endpoint: string; tableName: string };
  return { tableName: local.tableName, endpoint: values.endpoint ?? local.endpoint };
}

const { tableName, endpoint } = target();
const db = createDb({ tableName, endpoint, timeouts: SDK_TIMEOUTS.operator, ...(values.region && { region: values.region }) });
const dryRun = values['dry-run'];
console.log(`${dryRun ? 'Dry run: would migrate' : 'Migrating'} table ${tableName}${endpoint ? ` at ${endpoint}` : ''} to release 0.2 …`);
const report = await migrateToRelease02(db, { dryRun, log: (line) => console.log(`  ${line}`) });
console.log(JSON.stringify(report));
db.doc.destroy();
