// `npm run soak [-- --seconds 60] [--concurrency 8] [--outage] [--seed 13] [--json]`: a mixed workload against the
// local server with real tokens on a DynamoDB Local of its own (in memory; with --outage persisted under a temporary
// -dbPath), bounded in time. With --outage DynamoDB Local is stopped 40 % into the run for 3 s (`--outage-seconds`)
// and started again on the same data. It prints requests and answers by status, how every 409/412/404/422 is
// explained, the ingestion figures, the recovery time after an outage and verify-table's verdict; exit 0 only when the
// run passed.
import './env.js';
import { parseArgs } from 'node:util';
import { startSoakServer } from './support/soak-server.js';
import { formatSoakReport, runSoak, soakPassed } from './support/soak-workload.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '13' },
    outage: { type: 'boolean', default: false },
    'outage-seconds': { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
if (!(seconds > 0) || !(concurrency > 0)) {
  console.error('usage: npm run soak -- [--seconds 60] [--concurrency 8] [--outage] [--outage-seconds 3] [--seed 13] [--json]');
  process.exit(2);
}

const server = await startSoakServer({ persist: values.outage });
try {
  const report = await runSoak(server, {
    seconds,
    concurrency,
    seed: Number(values.seed),
    ...(values.outage && { outage: { atSeconds: Math.round(seconds * 0.4), forSeconds: Number(values['outage-seconds']) } }),
    log: (line) => {
      if (!values.json) console.log(line);
    },
  });
  console.log(values.json ? JSON.stringify(report) : formatSoakReport(report));
  process.exitCode = soakPassed(report) ? 0 : 1;
} finally {
  await server.close();
}
