// Runs in every test worker: registers the aws-sdk-client-mock matchers, and validates every HTTP response a test
// receives from a local server against the OpenAPI document (status documented, required headers, body schema), so the
// code and the document cannot drift. A response that breaks the document fails the test that received it.
import { afterAll, expect } from 'vitest';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import 'aws-sdk-client-mock-vitest/extend';
import { appendFileSync } from 'node:fs';
import { OpenApiValidator } from './openapi-validator.js';

expect.extend(allCustomMatcher);

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);
let validator: OpenApiValidator | undefined;
const tally = { checked: 0, outsideDocument: 0, operations: {} as Record<string, Record<string, number>> };

const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const response = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  // Only the service's own answers; CORS preflights are the gateway's and have no operation.
  if (!LOCAL.has(url.hostname) || method === 'OPTIONS' || url.pathname.startsWith('/_local/')) return response;
  validator ??= new OpenApiValidator();
  const body = await response.clone().text();
  const verdict = validator.check({ method, path: url.pathname, status: response.status, headers: response.headers, body });
  if (!verdict.operation) {
    tally.outsideDocument++;
    return response;
  }
  tally.checked++;
  const byStatus = (tally.operations[verdict.operation] ??= {});
  byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
  if (verdict.problems.length > 0) throw new Error(`The response breaks the OpenAPI document:\n${verdict.problems.join('\n')}`);
  return response;
};

// Summed up at the end of the run by test/support/openapi-tally-reporter.ts.
afterAll(() => {
  const log = process.env.CRS_OPENAPI_TALLY;
  if (!log || tally.checked + tally.outsideDocument === 0) return;
  appendFileSync(log, `${JSON.stringify(tally)}\n`);
  tally.checked = 0;
  tally.outsideDocument = 0;
  tally.operations = {};
});
