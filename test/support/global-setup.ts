// Starts one DynamoDB Local (in memory) for the whole run, unless DYNAMODB_ENDPOINT names another one.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

let running: RunningDynamoDb | undefined;
let starting: Promise<RunningDynamoDb> | undefined;

export default async function setup(project: TestProject) {
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) {
    starting ??= startDynamoDbLocal();
    running = await starting;
    endpoint = running.endpoint;
  }
  project.provide('dynamodbEndpoint', endpoint);
  return async () => {
    await running?.stop();
    running = undefined;
    starting = undefined;
  };
}
