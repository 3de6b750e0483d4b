// What every function needs at module scope: settings from the environment and one DynamoDB client.
import { loadSettings, type Settings } from './config.js';
import { createDb, type Db } from './store/client.js';

export interface Runtime {
  readonly settings: Settings;
  readonly db: Db;
}

export function createRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const settings = loadSettings(env);
  return { settings, db: createDb({ tableName: settings.tableName, endpoint: settings.dynamodbEndpoint }) };
}
