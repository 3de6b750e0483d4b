// Events in and out (SPEC 6): default bus → rule → ingest queue (+ DLQ) → ingest; table stream → publish → the service's
// bus, and table stream → project → the lookups' reach index.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DETAIL_TYPES } from '../../lib/events/inbound.js';
import type { ServiceConfig } from '../config.js';
import { FUNCTION_TIMEOUT_MS } from '../../lib/aws/deadline.js';
import { SERVICE_NAME, ServiceFunction } from '../constructs/service-function.js';

export interface EventsStackProps extends StackProps {
  readonly config: ServiceConfig;
  readonly table: dynamodb.ITable;
  readonly alarmTopic: sns.ITopic;
}

/** SPEC 6: an inbound event is tried five times before it is parked in the DLQ. */
export const INGEST_MAX_RECEIVE_COUNT = 5;

const INGEST_TIMEOUT = Duration.millis(FUNCTION_TIMEOUT_MS.ingest);

export class EventsStack extends Stack {
  readonly bus: events.EventBus;
  readonly inboundRule: events.Rule;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDeadLetterQueue: sqs.Queue;
  readonly publishFailureQueue: sqs.Queue;
  readonly projectFailureQueue: sqs.Queue;
  readonly ingest: ServiceFunction;
  readonly publish: ServiceFunction;
  readonly project: ServiceFunction;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const alarmAction = new cloudwatchActions.SnsAction(props.alarmTopic);

    // Outbound: other workloads subscribe to this bus by name, so the name is fixed per environment.
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `${SERVICE_NAME}-${config.envName}`,
      description: `Change events of ${SERVICE_NAME} (source "${SERVICE_NAME}")`,
    });

    // Both queues accept TLS only and are encrypted with SQS-managed keys, which EventBridge can send to
    // without a key policy (an AWS-managed KMS key would refuse it).
    const queueDefaults = { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED } as const;

    this.ingestDeadLetterQueue = new sqs.Queue(this, 'IngestDeadLetterQueue', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    this.ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      ...queueDefaults,
      // AWS guidance for SQS event sources: at least six times the function timeout, so a message is not
      // received again while a (retried, throttled) invocation still works on it.
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.ingestDeadLetterQueue, maxReceiveCount: INGEST_MAX_RECEIVE_COUNT },
    });

    // Inbound: the default bus, where the other workloads of the account put their events.
    this.inboundRule = new events.Rule(this, 'InboundRule', {
      description: `Inbound events for ${SERVICE_NAME} (SPEC 6)`,
      eventPattern: { detailType: [...DETAIL_TYPES] },
      targets: [
        // An event EventBridge cannot deliver to the queue lands in the same DLQ (and raises the same alarm).
        new targets.SqsQueue(this.ingestQueue, { deadLetterQueue: this.ingestDeadLetterQueue }),
      ],
    });

    this.ingest = new ServiceFunction(this, 'Ingest', {
      name: 'ingest',
      description: 'Inbound events (EventBridge → SQS, or direct invocation) applied to the table',
      config,
      alarmAction,
      timeout: INGEST_TIMEOUT,
    }).bindTable(table, 'readWrite');
    this.ingest.function.addEventSource(new sources.SqsEventSource(this.ingestQueue, {
      batchSize: 10,
      // Only the failed messages of a batch are received again (and reach the DLQ after five receives).
      reportBatchItemFailures: true,
    }));

    // A stream batch that still fails after its retries is skipped; the metadata needed to find and replay it
    // (shard, sequence numbers) lands here and raises an alarm, since the records expire from the stream in 24 h.
    this.publishFailureQueue = new sqs.Queue(this, 'PublishFailureQueue', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    this.publish = new ServiceFunction(this, 'Publish', {
      name: 'publish',
      description: 'Table stream → change events on the service bus',
      config,
      alarmAction,
      timeout: Duration.seconds(30),
    }).bindEventBus(this.bus);
    this.publish.function.addEventSource(new sources.DynamoEventSource(table, {
      // From the oldest record still in the stream, so changes committed before the first deploy are published too.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // The handler fails the first unpublished record and everything after it, so order per item holds.
      reportBatchItemFailures: true,
      retryAttempts: 10,
      parallelizationFactor: 1,
      onFailure: new sources.SqsDlq(this.publishFailureQueue),
    }));

    // The reach index of the lookups, projected from the same stream by a second consumer. Its lag is how long a
    // new access takes to show in lookups (revocations never wait: lookups verify every row they return).
    this.projectFailureQueue = new sqs.Queue(this, 'ProjectFailureQueue', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    this.project = new ServiceFunction(this, 'Project', {
      name: 'project',
      description: 'Table stream → the reach index of the lookups (SPEC 5.6)',
      config,
      alarmAction,
      timeout: Duration.minutes(5),
    }).bindTable(table, 'readWrite');
    this.project.function.addEventSource(new sources.DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // A failing batch is split to isolate the failing record, retried, then parked (shard and sequence numbers)
      // in the failure queue; `npm run verify-table -- --repair` or a replay re-projects what it held.
      bisectBatchOnError: true,
      retryAttempts: 5,
      parallelizationFactor: 1,
      onFailure: new sources.SqsDlq(this.projectFailureQueue),
    }));
    // Lag: a new access should show in lookups within 5 s (SPEC 5.6).
    this.project.function
      .metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'ProjectIteratorAgeAlarm', {
        alarmDescription: `${SERVICE_NAME}-${config.envName}: the lookups' reach index lags the table by more than 5 s`,
        threshold: 5_000,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(alarmAction);

    for (const [alarmId, queue, what] of [
      ['IngestDeadLetterQueueAlarm', this.ingestDeadLetterQueue, 'inbound events could not be applied (see the ingest logs for the reason)'],
      ['PublishFailureQueueAlarm', this.publishFailureQueue, 'committed changes could not be published (replay them from the stream within 24 h)'],
      ['ProjectFailureQueueAlarm', this.projectFailureQueue, 'changes could not be projected into the lookups\' reach index (repair with verify-table)'],
    ] as const) {
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, alarmId, {
          alarmDescription: `${SERVICE_NAME}-${config.envName}: ${what}`,
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        })
        .addAlarmAction(alarmAction);
    }

    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn, description: 'Outbound change events (subscribe with a rule on this bus)' });

    for (const queue of [this.publishFailureQueue, this.projectFailureQueue]) {
      NagSuppressions.addResourceSuppressions(queue, [
        { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination of the stream event source; nothing consumes it automatically.' },
      ]);
    }
    for (const role of [this.publish.role, this.project.role]) NagSuppressions.addResourceSuppressions(role, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'dynamodb:ListStreams (needed by the stream event source mapping) supports no resource-level permissions; it lists stream ARNs, no data.',
        appliesTo: ['Resource::*'],
      },
    ], true);
  }
}
