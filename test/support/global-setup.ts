// Starts one DynamoDB Local (in memory) for the whole run, unless DYNAMODB_ENDPOINT names another one, and sums up
// the responses the OpenAPI validator (test/support/setup.ts) checked.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    openApiValidationLog: string;
  }
}

let running: RunningDynamoDb | undefined;
let starting: Promise<RunningDynamoDb> | undefined;
const validationLog = join(mkdtempSync(join(tmpdir(), 'crs-openapi-validation-')), 'tally.jsonl');

let summarised = false;
function summarise() {
  if (summarised || !existsSync(validationLog)) return;
  summarised = true;
  const operations: Record<string, Record<string, number>> = {};
  let checked = 0;
  let outsideDocument = 0;
  for (const line of readFileSync(validationLog, 'utf8').split('\n').filter(Boolean)) {
    const t = JSON.parse(line) as { checked: number; outsideDocument: number; operations: Record<string, Record<string, number>> };
    checked += t.checked;
    outsideDocument += t.outsideDocument;
    for (const [op, byStatus] of Object.entries(t.operations)) {
      for (const [status, n] of Object.entries(byStatus)) (operations[op] ??= {})[status] = ((operations[op] ??= {})[status] ?? 0) + n;
    }
  }
  const pairs = Object.values(operations).reduce((n, byStatus) => n + Object.keys(byStatus).length, 0);
  const out = resolve(import.meta.dirname, '../../.tmp');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'openapi-validation.json'), JSON.stringify({ checked, outsideDocument, operations }, null, 2));
  console.log(
    `OpenAPI validator: ${checked} responses checked against the document (${Object.keys(operations).length} operations, ` +
      `${pairs} operation/status pairs); ${outsideDocument} answers to undocumented routes not checked. Details: .tmp/openapi-validation.json`,
  );
}

export default async function setup(project: TestProject) {
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    starting ??= startDynamoDbLocal();
    running = await starting;
    endpoint = running.endpoint;
  }
  project.provide('dynamodbEndpoint', endpoint);
  project.provide('openApiValidationLog', validationLog);
  return async () => {
    await running?.stop();
    running = undefined;
    starting = undefined;
    summarise();
  };
}
