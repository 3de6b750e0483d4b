// `npm run verify-table -- [--table <name>] [--endpoint <url>] [--region <region>] [--rate <read units/s>]
//   [--segments <n>] [--repair] [--json]`
// Recomputes every derived datum of the table from its source and prints each disagreement with its keys (see
// lib/integrity/). The default is a dry run; --repair fixes what the source of truth decides, with conditional
// writes (safe while traffic runs), prints each change and verifies again. Without --table and --endpoint it checks the
// local server's table (.data/local.json); against AWS it uses the usual credentials (it needs dynamodb:Scan, and the
// write actions for --repair).
// Exit status: 0 no disagreement (tolerated leftovers may remain), 1 disagreements (after --repair: left), 2 not run.
import '../local/env.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR } from '../local/dynamodb-local.js';
import { createDb } from '../../lib/store/client.js';
import { SDK_TIMEOUTS } from '../../lib/aws/deadline.js';
import { countByKind, formatFinding, repairTable, verifyTable, type VerifyResult } from '../../lib/integrity/verify.js';

const usage = 'usage: npm run verify-table -- [--table <name>] [--endpoint <url>] [--region <region>] [--rate <read units/s>] [--segments <n>] [--repair] [--json]';

function options() {
  try {
    return parseArgs({
      options: {
        table: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        rate: { type: 'string' },
        segments: { type: 'string', default: '4' },
        repair: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const values = options();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const positive = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number\n${usage}`);
    process.exit(2);
  }
  return n;
};
const rate = positive('rate', values.rate);
const segments = Math.floor(positive('segments', values.segments) ?? 4);

function target(): { tableName: string; endpoint?: string | undefined } {
  if (values.table) return { tableName: values.table, endpoint: values.endpoint ?? process.env.DYNAMODB_ENDPOINT };
  const file = join(DATA_DIR, 'local.json');
  if (!existsSync(file)) {
    console.error(`No --table given and no local server recorded in .data/local.json (start it once with npm start).\n${usage}`);
    process.exit(2);
  }
  const local = JSON.parse(readFileSync(file, 'utf8')) as { endpoint: string; tableName: string };
  return { tableName: local.tableName, endpoint: values.endpoint ?? local.endpoint };
}

const { tableName, endpoint } = target();
const db = createDb({ tableName, endpoint, timeouts: SDK_TIMEOUTS.operator, ...(values.region && { region: values.region }) });
const say = (line: string) => {
  if (!values.json) console.log(line);
};

function print(title: string, result: VerifyResult) {
  say(`${title}: ${result.scanned} items, ${result.readUnits.toFixed(1)} read units, ${(result.durationMs / 1000).toFixed(1)} s`);
  for (const finding of result.findings) say(`  ${formatFinding(finding)}`);
  if (result.unsettled.length > 0) say(`  ${result.unsettled.length} finding(s) changed while the table was read and were not judged: run again`);
  say(`  ${result.disagreements} disagreement(s), ${result.tolerated} tolerated leftover(s)`);
}

const summary = (result: VerifyResult) => ({
  scanned: result.scanned,
  disagreements: result.disagreements,
  tolerated: result.tolerated,
  unsettled: result.unsettled.length,
  readUnits: Math.round(result.readUnits * 10) / 10,
  byKind: countByKind(result.findings),
  findings: result.findings.map((f) => ({ check: f.check, kind: f.kind, severity: f.severity, pk: f.subject.pk, sk: f.subject.sk, ref: f.ref, message: f.message, repair: f.repair?.action ?? null })),
});

try {
  say(`${values.repair ? 'Verifying and repairing' : 'Verifying (dry run)'} table ${tableName}${endpoint ? ` at ${endpoint}` : ''}${rate ? ` at most ${rate} read units/s` : ''} …`);
  if (values.repair) {
    const result = await repairTable(db, { rate, segments, log: (line) => say(`  ${line}`) });
    print('Before', result.before);
    const applied = result.passes.flat().filter((o) => o.outcome === 'applied').length;
    const skipped = result.passes.flat().filter((o) => o.outcome === 'skipped').length;
    const failed = result.passes.flat().filter((o) => o.outcome === 'failed').length;
    say(`Repairs: ${applied} applied, ${skipped} skipped (changed meanwhile), ${failed} failed, in ${result.passes.length} pass(es)`);
    print('After', result.after);
    if (values.json) console.log(JSON.stringify({ before: summary(result.before), repairs: { applied, skipped, failed, passes: result.passes.length }, after: summary(result.after) }));
    process.exitCode = result.after.disagreements > 0 ? 1 : 0;
  } else {
    const result = await verifyTable(db, { rate, segments, log: (line) => say(`  ${line}`) });
    print('Result', result);
    if (result.findings.some((f) => f.repair)) say('Run again with --repair to fix what the source of truth decides.');
    if (values.json) console.log(JSON.stringify(summary(result)));
    process.exitCode = result.disagreements > 0 ? 1 : 0;
  }
} catch (error) {
  console.error(`verify-table could not run: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  db.doc.destroy();
}
