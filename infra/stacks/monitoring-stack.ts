// The alarm topic every alarm of the service notifies; in its own long-lived stack so confirmed subscriptions survive redeploys.
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { ServiceConfig } from '../config.js';
import { SERVICE_NAME } from '../constructs/service-function.js';

export interface MonitoringStackProps extends StackProps {
  readonly config: ServiceConfig;
}

export class MonitoringStack extends Stack {
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${SERVICE_NAME} ${config.envName} alarms`,
      enforceSSL: true,
    });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }
  }
}
