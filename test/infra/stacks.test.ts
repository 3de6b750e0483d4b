// CDK assertions on the synthesized templates: table, API and routes, functions, events, alarms, least privilege.
import { readFileSync } from 'node:fs';
import { Annotations, App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALL_ENDPOINTS, ENDPOINTS_BY_FUNCTION } from '../../lib/api/contracts/index.js';
import { DETAIL_TYPES } from '../../lib/events/inbound.js';
import { createTableInput } from '../../lib/store/table.js';
import { CONFIGS, type ServiceConfig } from '../../infra/config.js';
import { PLACEHOLDER_ISSUER_WARNING, SERVER_ERRORS_ALARM_THRESHOLD, TABLE_ACCESS } from '../../infra/stacks/api-stack.js';
import { addServiceStacks } from '../../infra/stacks/service.js';
import { MEMORY_SIZES } from '../../infra/constructs/memory-sizes.js';
import type { FunctionName } from '../../infra/build/bundling.js';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '../../lib/http/cors.js';

// `npm run synth` runs CloudFormation's template validation; here it would add about 5 s to every synthesis.
process.env.CDK_VALIDATION = 'false';

const BATCH_CALLER = 'arn:aws:iam::111122223333:role/batch-access-caller';

/** The stacks as `cdk synth` builds them (cdk.json feature flags), minus the esbuild bundling. */
function synthesize(config: ServiceConfig) {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = addServiceStacks(app, config);
  // Known and intended here: the configs' issuers are placeholders (the warning is for operators deploying them).
  Annotations.of(stacks.api).acknowledgeWarning(PLACEHOLDER_ISSUER_WARNING);
  return {
    data: Template.fromStack(stacks.data),
    monitoring: Template.fromStack(stacks.monitoring),
    events: Template.fromStack(stacks.events),
    api: Template.fromStack(stacks.api),
  };
}

const FRONT_END = 'https://advisor.example.com';
const prod = synthesize({ ...CONFIGS.prod, directInvokePrincipals: [BATCH_CALLER], alarmEmail: 'ops@example.com', corsOrigins: [FRONT_END] });
const dev = synthesize(CONFIGS.dev);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

const resourcesOf = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;
const allTemplates = (t: typeof prod) => [t.data, t.monitoring, t.events, t.api];
const allFunctions = (t: typeof prod) =>
  Object.fromEntries(allTemplates(t).flatMap((template) => Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))));

const FUNCTION_NAMES = [...Object.keys(ENDPOINTS_BY_FUNCTION), 'ingest', 'publish', 'project'];
const functionName = (name: string, env = 'prod') => `contact-relationships-${env}-${name}`;

/** Logical id of a function (by its name) in the template that holds it. */
function functionId(template: Template, name: string): string {
  const [id] = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(([, r]) => r.Properties.FunctionName === functionName(name)) ?? [];
  if (!id) throw new Error(`no function ${name}`);
  return id;
}

/** Every statement of every policy attached to the function's role. */
function statementsOf(template: Template, name: string): Statement[] {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId(template, name)]!;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

describe('table (data stack)', () => {
  const expected = createTableInput('any');

  it('has the keys, attributes and every GSI of TABLE_DEFINITION', () => {
    prod.data.resourceCountIs('AWS::DynamoDB::Table', 1);
    prod.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: expected.KeySchema,
      AttributeDefinitions: Match.arrayWith(expected.AttributeDefinitions),
      GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
      BillingMode: 'PAY_PER_REQUEST',
    });
    const [table] = Object.values(resourcesOf(prod.data, 'AWS::DynamoDB::Table'));
    expect(table!.Properties.AttributeDefinitions).toHaveLength(expected.AttributeDefinitions.length);
  });

  it('has point-in-time recovery, a NEW_AND_OLD_IMAGES stream and the TTL attribute', () => {
    prod.data.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('is retained and deletion-protected in prod', () => {
    prod.data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it('is deleted with its stack and not deletion-protected in dev', () => {
    dev.data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  it('gets no hard-coded name', () => {
    const [table] = Object.values(resourcesOf(prod.data, 'AWS::DynamoDB::Table'));
    expect(table!.Properties.TableName).toBeUndefined();
  });
});

describe('HTTP API (api stack)', () => {
  it('has a JWT authorizer with the issuer and audience of the prod config', () => {
    prod.api.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    prod.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: CONFIGS.prod.jwt.issuer, Audience: [...CONFIGS.prod.jwt.audience] },
    });
  });

  it('has one route per endpoint contract, each on its group\'s Lambda with payload format 2.0', () => {
    const routes = Object.values(resourcesOf(prod.api, 'AWS::ApiGatewayV2::Route'));
    expect(routes).toHaveLength(ALL_ENDPOINTS.length);
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(ALL_ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort());

    const integrations = resourcesOf(prod.api, 'AWS::ApiGatewayV2::Integration');
    for (const endpoint of ALL_ENDPOINTS) {
      const route = routes.find((r) => r.Properties.RouteKey === `${endpoint.method} ${endpoint.path}`)!;
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = integrations[integrationId]!;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionId(prod.api, endpoint.fn), 'Arn'] });
    }
  });

  it('protects every route with the JWT authorizer except the public documentation routes', () => {
    const [authorizerId] = Object.keys(resourcesOf(prod.api, 'AWS::ApiGatewayV2::Authorizer'));
    const routes = Object.values(resourcesOf(prod.api, 'AWS::ApiGatewayV2::Route'));
    const publicKeys = ALL_ENDPOINTS.filter((e) => e.scope === null).map((e) => `${e.method} ${e.path}`);
    expect(publicKeys.sort()).toEqual(['GET /docs', 'GET /docs/redoc.standalone.js', 'GET /openapi.json']);
    for (const route of routes) {
      if (publicKeys.includes(route.Properties.RouteKey)) {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('NONE');
      } else {
        expect(route.Properties, route.Properties.RouteKey).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      }
    }
  });

  it('answers CORS for the configured origins (corsOrigins) and has no CORS configuration without any', () => {
    prod.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [FRONT_END],
        AllowMethods: [...CORS_ALLOW_METHODS],
        AllowHeaders: [...CORS_ALLOW_HEADERS],
        ExposeHeaders: [...CORS_EXPOSE_HEADERS],
        MaxAge: CORS_MAX_AGE_SECONDS,
        AllowCredentials: false,
      },
    });
    expect(CONFIGS.dev.corsOrigins).toEqual([]);
    dev.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    // API Gateway answers the preflights itself: no route for OPTIONS leads to a function.
    const methods = Object.values(resourcesOf(prod.api, 'AWS::ApiGatewayV2::Route')).map((r) => String(r.Properties.RouteKey).split(' ')[0]);
    expect(methods).not.toContain('OPTIONS');
  });

  it('logs every request of its stage', () => {
    prod.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });
});

describe('functions', () => {
  it('exist once per endpoint group, plus ingest, publish and project', () => {
    const names = Object.values(allFunctions(prod)).map((f) => f.Properties.FunctionName).sort();
    expect(names).toEqual(FUNCTION_NAMES.map((n) => functionName(n)).sort());
  });

  it('all run nodejs22.x on arm64, with their own log group', () => {
    for (const fn of Object.values(allFunctions(prod))) {
      expect(fn.Properties, fn.Properties.FunctionName).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('each get the memory (hence the CPU) chosen for them in infra/constructs/memory-sizes.ts', () => {
    const sizes = Object.fromEntries(Object.values(allFunctions(prod)).map((fn) => [fn.Properties.FunctionName, fn.Properties.MemorySize]));
    expect(sizes).toEqual(Object.fromEntries(FUNCTION_NAMES.map((name) => [functionName(name), MEMORY_SIZES[name as FunctionName].mb])));
    expect(MEMORY_SIZES['contact-group-access'].mb).toBe(1769); // one full vCPU: the access checks are everyone's hot path
  });

  it('get the environment settings of the config', () => {
    for (const fn of Object.values(allFunctions(prod))) {
      expect(fn.Properties.Environment.Variables, fn.Properties.FunctionName).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'contact-relationships',
        DATA_SEGREGATION: String(CONFIGS.prod.dataSegregation),
        DEFAULT_LANGUAGE: CONFIGS.prod.defaultLanguage,
        LOG_LEVEL: CONFIGS.prod.logLevel,
      });
    }
  });

  it('have TABLE_NAME exactly where they have table access', () => {
    const withTable = [...Object.entries(TABLE_ACCESS).filter(([, access]) => access).map(([group]) => group), 'ingest', 'project'];
    for (const fn of Object.values(allFunctions(prod))) {
      const name = (fn.Properties.FunctionName as string).replace(functionName(''), '');
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      if (withTable.includes(name)) expect(variables.TABLE_NAME, name).toBeDefined();
      else expect(variables.TABLE_NAME, name).toBeUndefined();
    }
  });

  it('project reads the table stream into the reach index, its failures parked and its lag alarmed', () => {
    prod.events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(prod.events, 'project') },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    prod.events.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 5000 });
  });

  it('contact-group-access signs lookup cursors with a generated secret', () => {
    prod.api.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const fn = resourcesOf(prod.api, 'AWS::Lambda::Function')[functionId(prod.api, 'contact-group-access')]!;
    expect(JSON.stringify(fn.Properties.Environment.Variables.CURSOR_SECRET)).toContain('secretsmanager');
  });

  it('publish knows the bus it publishes to', () => {
    const [busId] = Object.keys(resourcesOf(prod.events, 'AWS::Events::EventBus'));
    const publish = resourcesOf(prod.events, 'AWS::Lambda::Function')[functionId(prod.events, 'publish')]!;
    expect(publish.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({ Ref: busId });
  });
});

describe('events (events stack)', () => {
  it('has the outbound bus, named after the environment', () => {
    prod.events.hasResourceProperties('AWS::Events::EventBus', { Name: 'contact-relationships-prod' });
  });

  it('has the ingest queue with a DLQ after 5 receives', () => {
    const queues = resourcesOf(prod.events, 'AWS::SQS::Queue');
    const ingest = Object.values(queues).find((q) => q.Properties.RedrivePolicy)!;
    const dlqId = ingest.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(queues[dlqId]).toBeDefined();
    expect(ingest.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
  });

  it('routes the SPEC 6 detail-types from the default bus to the ingest queue', () => {
    const [rule] = Object.values(resourcesOf(prod.events, 'AWS::Events::Rule'));
    expect(rule!.Properties.EventBusName).toBeUndefined(); // the default bus
    expect(rule!.Properties.EventPattern['detail-type']).toEqual(DETAIL_TYPES);
    expect([...DETAIL_TYPES].sort()).toEqual(
      ['ContactDeleted', 'ContactUpserted', 'EntityLinked', 'EntityUnlinked', 'MemberDeleted', 'MemberPictureUpdated', 'MemberUpserted'],
    );
    const queueId = Object.entries(resourcesOf(prod.events, 'AWS::SQS::Queue')).find(([, q]) => q.Properties.RedrivePolicy)![0];
    expect(rule!.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })]);
  });

  it('lets ingest consume the queue with partial batch failures', () => {
    const queueId = Object.entries(resourcesOf(prod.events, 'AWS::SQS::Queue')).find(([, q]) => q.Properties.RedrivePolicy)![0];
    prod.events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: functionId(prod.events, 'ingest') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds publish from the table stream, with partial batch failures and an on-failure destination', () => {
    prod.events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      FunctionName: { Ref: functionId(prod.events, 'publish') },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('alarms', () => {
  const alarms = () => allTemplates(prod).flatMap((t) => Object.values(resourcesOf(t, 'AWS::CloudWatch::Alarm')));
  const [topicId] = Object.keys(resourcesOf(prod.monitoring, 'AWS::SNS::Topic'));

  it('watch Errors and Throttles of every function', () => {
    for (const template of [prod.api, prod.events]) {
      for (const [id, fn] of Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))) {
        for (const metric of ['Errors', 'Throttles']) {
          const found = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
            (a) => a.Properties.MetricName === metric && a.Properties.Dimensions?.[0]?.Value?.Ref === id,
          );
          expect(found, `${metric} of ${fn.Properties.FunctionName}`).toHaveLength(1);
        }
      }
    }
  });

  it('fire as soon as a message sits in the ingest DLQ', () => {
    const dlqId = Object.values(resourcesOf(prod.events, 'AWS::SQS::Queue')).find((q) => q.Properties.RedrivePolicy)!
      .Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    prod.events.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('fire when the API answers 5xx (503 when DynamoDB throttles or is unavailable, 500, Lambda throttles)', () => {
    prod.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: SERVER_ERRORS_ALARM_THRESHOLD,
    });
  });

  it('all notify the alarm topic, which has the configured email subscription', () => {
    // Errors and throttles per function; the ingest DLQ, the publish and project failure queues; the projection's lag;
    // the API's 5xx.
    expect(alarms().length).toBe(FUNCTION_NAMES.length * 2 + 5);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      // A reference to the monitoring stack's output of the topic ARN.
      expect(JSON.stringify(alarm.Properties.AlarmActions), alarm.Properties.AlarmDescription).toContain(topicId);
    }
    prod.monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
    dev.monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('least privilege', () => {
  const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems'];

  it('contact-group-access may only read the table', () => {
    const actions = actionsOf(statementsOf(prod.api, 'contact-group-access'));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const write of WRITES) expect(actions).not.toContain(write);
  });

  it('writers may write, docs may not touch the table at all', () => {
    for (const name of ['contact-access', 'contact-groups', 'contact-relatives']) {
      expect(actionsOf(statementsOf(prod.api, name)), name).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    }
    expect(actionsOf(statementsOf(prod.events, 'ingest'))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:DeleteItem']));
    expect(actionsOf(statementsOf(prod.api, 'docs')).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('publish may read the stream and put events on its bus, nothing else', () => {
    const statements = statementsOf(prod.events, 'publish');
    const dynamodbActions = actionsOf(statements).filter((a) => a.startsWith('dynamodb:')).sort();
    expect(dynamodbActions).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    const [busId] = Object.keys(resourcesOf(prod.events, 'AWS::Events::EventBus'));
    expect(statements.filter((s) => actionsOf([s]).includes('events:PutEvents'))).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }),
    ]);
  });

  it('has no wildcard action and no wildcard resource on table data', () => {
    const statements = allTemplates(prod).flatMap((t) =>
      Object.values(resourcesOf(t, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]),
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const actions = actionsOf([statement]);
      expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
      if (statement.Resource === '*') {
        // The only actions that exist without resource-level permissions: X-Ray, and ListStreams (stream ARNs, no data).
        expect(actions.every((a) => a.startsWith('xray:') || a === 'dynamodb:ListStreams'), JSON.stringify(actions)).toBe(true);
      }
    }
  });

  it('uses no AWS managed policies', () => {
    for (const template of allTemplates(prod)) {
      for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets only the configured principals invoke contact-group-access directly', () => {
    const direct = (t: typeof prod) =>
      Object.values(resourcesOf(t.api, 'AWS::Lambda::Permission')).filter((p) => p.Properties.Principal !== 'apigateway.amazonaws.com');
    expect(direct(prod)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Principal: BATCH_CALLER,
          FunctionName: { 'Fn::GetAtt': [functionId(prod.api, 'contact-group-access'), 'Arn'] },
        }),
      }),
    ]);
    expect(direct(dev)).toEqual([]);
  });
});
