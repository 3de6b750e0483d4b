// The service's stacks for one environment, wired together (used by infra/app.ts and the infra tests alike).
import { Tags, type App, type Stage } from 'aws-cdk-lib';
import type { ServiceConfig } from '../config.js';
import { SERVICE_NAME } from '../constructs/service-function.js';
import { ApiStack } from './api-stack.js';
import { DataStack } from './data-stack.js';
import { EventsStack } from './events-stack.js';
import { MonitoringStack } from './monitoring-stack.js';

export interface ServiceStacks {
  readonly data: DataStack;
  readonly monitoring: MonitoringStack;
  readonly events: EventsStack;
  readonly api: ApiStack;
}

/**
 * Stateful stacks (data, monitoring) are deployed once and rarely change; the stateless ones (events, api) can be
 * destroyed and redeployed freely. Stacks are environment-agnostic: account and region come from the deploying
 * credentials, so `cdk synth` needs none.
 */
export function addServiceStacks(scope: App | Stage, config: ServiceConfig): ServiceStacks {
  const prefix = `ContactRelationships-${config.envName}`;
  const data = new DataStack(scope, `${prefix}-Data`, {
    config,
    description: `${SERVICE_NAME} (${config.envName}): the single table`,
    terminationProtection: config.deletionProtection,
  });
  const monitoring = new MonitoringStack(scope, `${prefix}-Monitoring`, {
    config,
    description: `${SERVICE_NAME} (${config.envName}): alarm topic`,
  });
  const shared = { config, table: data.table, alarmTopic: monitoring.alarmTopic };
  const events = new EventsStack(scope, `${prefix}-Events`, {
    ...shared,
    description: `${SERVICE_NAME} (${config.envName}): inbound queue, ingest, publish and the event bus`,
  });
  const api = new ApiStack(scope, `${prefix}-Api`, {
    ...shared,
    description: `${SERVICE_NAME} (${config.envName}): HTTP API and its functions`,
  });

  for (const stack of [data, monitoring, events, api]) {
    Tags.of(stack).add('service', SERVICE_NAME);
    Tags.of(stack).add('environment', config.envName);
  }
  return { data, monitoring, events, api };
}
