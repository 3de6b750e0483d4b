import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Silences the SDK's Node 20 support notice in the main process too (global setup), not only in workers.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Where the test workers record the responses the OpenAPI validator checked (test/support/setup.ts); the reporter sums
// them up at the end of the run. Workers inherit the variable.
process.env.CRS_OPENAPI_TALLY ??= join(mkdtempSync(join(tmpdir(), 'crs-openapi-tally-')), 'tally.jsonl');

// One run, five kinds of tests. DynamoDB Local is started once by the global setup (in memory); each integration
// test file makes its own table, so files run in parallel without sharing state.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/openapi-tally-reporter.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_DEV: 'false', LOG_LEVEL: 'SILENT' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      // The soaks load the machine on purpose: they run after every other project, so they neither slow the other
      // tests (the oracle's worlds, the browser) nor are slowed by them.
      { extends: true, test: { name: 'soak', include: ['test/soak/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000, sequence: { groupOrder: 1 } } },
    ],
  },
});
