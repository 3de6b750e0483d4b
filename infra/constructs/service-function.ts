// "A function of this service": the one place that fixes runtime, architecture, bundling, logging, alarms and grants.
import { basename } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { ServiceConfig } from '../config.js';
import { BUNDLING, REPO_ROOT, entryOf, type FunctionName } from '../build/bundling.js';
import { MEMORY_SIZES } from './memory-sizes.js';
import { FUNCTION_TIMEOUT_MS } from '../../lib/aws/deadline.js';

export const SERVICE_NAME = 'contact-relationships';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/**
 * DynamoDB actions per access level. Narrower than `grantReadData`/`grantReadWriteData`: no `Scan` (no access
 * pattern scans) and no stream actions (only `publish` reads the stream, through its event source mapping).
 * TransactWriteItems has no action of its own: each item is authorised as Put/Update/Delete/ConditionCheckItem.
 */
export const TABLE_ACTIONS = {
  read: READ_ACTIONS,
  readWrite: [
    ...READ_ACTIONS,
    'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem',
  ],
} as const;

export type TableAccess = keyof typeof TABLE_ACTIONS;

export interface ServiceFunctionProps {
  /** The folder under `functions/` holding `handler.ts`; also the end of the function's name. */
  readonly name: FunctionName;
  readonly description: string;
  readonly config: ServiceConfig;
  /** Where the function's Errors and Throttles alarms notify. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /**
   * @default 10 seconds (FUNCTION_TIMEOUT_MS.api): an HTTP API integration gives up after 30 s anyway. The store's SDK
   * timeouts and deadline (lib/aws/deadline.ts) make a request answer 503 before this, never time out.
   */
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Files copied beside the bundle (absolute paths), for code that reads them at run time next to itself — e.g. the
   * docs function's renderer script, served as a file rather than bundled into the code every request loads.
   */
  readonly assets?: readonly string[];
}

/** The environment every function of the service gets (the benchmark starts its bundles with it too). */
export function functionEnvironment(config: ServiceConfig): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    LOG_LEVEL: config.logLevel,
    DATA_SEGREGATION: String(config.dataSegregation),
    DEFAULT_LANGUAGE: config.defaultLanguage,
    // Stack traces in the logs point at the TypeScript sources (the bundle is minified).
    NODE_OPTIONS: '--enable-source-maps',
  };
}

export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;
    const functionName = `${SERVICE_NAME}-${config.envName}-${props.name}`;

    // Its own log group: retention and removal from config, and no CreateLogGroup right needed at run time.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // Its own role instead of the default one, whose AWSLambdaBasicExecutionRole managed policy may create and write
    // every log group of the account; this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: entryOf(props.name),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      // Chosen for the CPU it buys, per function, with the reason: infra/constructs/memory-sizes.ts.
      memorySize: MEMORY_SIZES[props.name].mb,
      timeout: props.timeout ?? Duration.millis(FUNCTION_TIMEOUT_MS.api),
      role: this.role,
      logGroup: this.logGroup,
      // Platform lines (START/END/REPORT) as JSON too, next to Powertools' JSON application logs.
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: { ...functionEnvironment(config), ...props.environment },
      bundling: {
        // Format, target, minification, main fields, banner and aliases: infra/build/bundling.ts (the bench and the bundle
        // budget check build with the same settings).
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        // A linked .map next to the bundle (Node only applies it with --enable-source-maps); without the sources
        // themselves, which stack traces do not need.
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        esbuildArgs: { '--alias': Object.entries(BUNDLING.alias).map(([name, replacement]) => `${name}=${replacement}`) },
        // Bundle the AWS SDK too, rather than use the runtime's copy: the code runs with the exact SDK version it
        // was tested with (the runtime's version lags and changes without notice), and one minified, tree-shaken
        // file loads faster on a cold start than resolving the runtime's full SDK packages.
        externalModules: [],
        ...(props.assets?.length && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            // Node rather than cp: the same command wherever the synth runs.
            afterBundling: (_input: string, output: string) =>
              props.assets!.map((file) => `node -e "require('node:fs').copyFileSync(process.argv[1], process.argv[2])" "${file}" "${output}/${basename(file)}"`),
          },
        }),
      },
    });

    const metricOptions = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    const alarm = (alarmId: string, metric: cloudwatch.Metric, what: string) => {
      const created = metric.createAlarm(this, alarmId, {
        alarmDescription: `${functionName}: ${what}`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(props.alarmAction);
      return created;
    };
    this.alarms = [
      alarm('ErrorsAlarm', this.function.metricErrors(metricOptions), 'invocations failed (unhandled errors or timeouts)'),
      alarm('ThrottlesAlarm', this.function.metricThrottles(metricOptions), 'invocations were throttled'),
    ];

    NagSuppressions.addResourceSuppressions(this.function, [
      { id: 'AwsSolutions-L1', reason: 'SPEC 2 fixes the runtime at nodejs22.x (the code must also run on the Node 20/22 development machines).' },
    ]);
    if (config.tracing) {
      NagSuppressions.addResourceSuppressions(this.role, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; Resource "*" is the only form.',
          appliesTo: ['Resource::*'],
        },
      ], true);
    }
  }

  /** Grants the table actions of `access` and tells the code which table to use: one call, so neither is forgotten. */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    table.grant(this.role, ...TABLE_ACTIONS[access]);
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    NagSuppressions.addResourceSuppressions(this.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Queries may use any GSI of the one table; "<table ARN>/index/*" covers exactly that table\'s indexes.',
        appliesTo: [{ regex: '/^Resource::.+\\/index\\/\\*$/' }],
      },
    ], true);
    return this;
  }

  /** Allows PutEvents on the bus (and nothing else on it) and tells the code its name. */
  bindEventBus(bus: events.IEventBus): this {
    bus.grantPutEventsTo(this.role);
    this.function.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    return this;
  }
}
