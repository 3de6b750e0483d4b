// CloudWatch metrics as embedded metric format log lines (Powertools): no API calls, flushed per invocation.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ContactRelationships',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'contact-relationships',
});

export { MetricUnit };

/** Only inside Lambda: locally and in tests no agent reads stdout, the EMF lines would only be noise. */
export const metricsEnabled = () => process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
