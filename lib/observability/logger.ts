// One structured JSON logger per process (Powertools); the HTTP pipeline adds the correlation id to every line.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'contact-relationships',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as never,
});
