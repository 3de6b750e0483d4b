// DynamoDB Local stopped in the middle of a soak (data persisted under -dbPath) and started again: meanwhile the service
// answers 503 ServiceUnavailable with Retry-After (never another 5xx), ingestion is redelivered until it applies, the
// service recovers without a restart, and verify-table finds the table consistent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSoakServer, type SoakServer } from '../../bench/support/soak-server.js';
import { formatSoakReport, runSoak } from '../../bench/support/soak-workload.js';

let server: SoakServer;

beforeAll(async () => {
  server = await startSoakServer({ persist: true });
});
afterAll(() => server?.close());

describe('an outage of DynamoDB Local during a soak', { timeout: 180_000 }, () => {
  it('503 while it is down, recovery without a restart once it is back, nothing half-written', async () => {
    const report = await runSoak(server, { seconds: 12, minRequests: 150, concurrency: 6, seed: 29, outage: { atSeconds: 4, forSeconds: 2 } });
    console.log(formatSoakReport(report));
    expect(report.outage).toBeDefined();
    expect(report.outage!.unavailableAnswers).toBeGreaterThan(0);
    expect(report.outage!.otherServerErrors).toBe(0);
    expect(report.serverErrors).toBe(0);
    expect(report.outage!.recoveryMs).toBeLessThan(5_000);
    expect(report.unexplained).toEqual([]);
    // Events that failed during the outage were delivered again (or redriven from the dead letters) until they applied.
    expect(report.ingest.rejected).toBe(0);
    expect(report.versionsBehind).toEqual([]);
    expect(report.verify.disagreements).toBe(0);
  });
});
