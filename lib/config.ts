// Deployment settings, read once from the environment (CDK sets them on each function; the local server from its own env).
import { isLanguage, type Language } from './i18n/languages.js';

export interface Settings {
  readonly tableName: string;
  readonly dataSegregation: boolean;
  readonly defaultLanguage: Language;
  readonly logLevel: string;
  /** Local runtime and tests only: another DynamoDB endpoint (DynamoDB Local). */
  readonly dynamodbEndpoint?: string;
  /** Signs lookup cursors (SPEC 5.6); CDK passes a generated secret, the local runtime a fixed development one. */
  readonly cursorSecret: string;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const defaultLanguage = (env.DEFAULT_LANGUAGE ?? 'en').toLowerCase();
  return {
    tableName: env.TABLE_NAME ?? 'contact-relationships',
    dataSegregation: (env.DATA_SEGREGATION ?? 'false').toLowerCase() === 'true',
    defaultLanguage: isLanguage(defaultLanguage) ? defaultLanguage : 'en',
    logLevel: env.LOG_LEVEL ?? 'INFO',
    ...(env.DYNAMODB_ENDPOINT && { dynamodbEndpoint: env.DYNAMODB_ENDPOINT }),
    cursorSecret: env.CURSOR_SECRET ?? 'local-development-cursor-secret',
  };
}
