// The HTTP API: JWT authorizer, one function per endpoint group, one route per endpoint contract.
import { createRequire } from 'node:module';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { FunctionGroup } from '../../lib/api/contract.js';
import { ENDPOINTS_BY_FUNCTION } from '../../lib/api/contracts/index.js';
import { REDOC_SCRIPT } from '../../lib/api/docs-page.js';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '../../lib/http/cors.js';
import { isPlaceholderIssuer, type ServiceConfig } from '../config.js';
import { SERVICE_NAME, ServiceFunction, type TableAccess } from '../constructs/service-function.js';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export interface ApiStackProps extends StackProps {
  readonly config: ServiceConfig;
  readonly table: dynamodb.ITable;
  readonly alarmTopic: sns.ITopic;
}

/** What each endpoint group may do with the table (least privilege); `null`: no table at all. */
export const TABLE_ACCESS: Readonly<Record<FunctionGroup, TableAccess | null>> = {
  'contact-access': 'readWrite',
  'contact-group-access': 'read',
  'contact-groups': 'readWrite',
  'contact-relatives': 'readWrite',
  docs: null,
};

const DESCRIPTIONS: Readonly<Record<FunctionGroup, string>> = {
  'contact-access': 'Participant access and member assignments of a contact (SPEC 5)',
  'contact-group-access': 'Access checks on contact groups, also batch by direct invocation (SPEC 5)',
  'contact-groups': 'Contact group management and the Dezrez endpoint (SPEC 5)',
  'contact-relatives': 'Relatives of a contact and relationship types (SPEC 5)',
  docs: 'OpenAPI document and API reference page (public)',
};

/**
 * Files a function reads beside its bundle at run time: the docs function serves Redoc's standalone script from the
 * redoc package as a file (lib/api/docs-page.ts), so its 1 MB are read only when a browser asks for them.
 */
export const FUNCTION_ASSETS: Readonly<Partial<Record<FunctionGroup, readonly string[]>>> = {
  docs: [createRequire(import.meta.url).resolve(`redoc/bundles/${REDOC_SCRIPT}`)],
};

/**
 * 5xx answers of the API in 5 minutes that raise the alarm: 503 ServiceUnavailable (DynamoDB throttled or unavailable:
 * clients retry, but a storm of them is an incident), 500 General, Lambda throttles. A few 503 during a short burst of
 * throttling are expected and do not page.
 */
export const SERVER_ERRORS_ALARM_THRESHOLD = 10;

/** Raised while the environment's JWT issuer is still the example.com placeholder of infra/config.ts. */
export const PLACEHOLDER_ISSUER_WARNING = 'crs:placeholder-jwt-issuer';

/** HTTP API access log line: only variables HTTP APIs support (the REST-API standard fields are not all valid here). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
}));

export class ApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: Readonly<Record<FunctionGroup, ServiceFunction>>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const alarmAction = new cloudwatchActions.SnsAction(props.alarmTopic);

    // The gateway verifies signature, issuer, audience and expiry; scopes are checked by the functions, so a
    // missing scope answers with the service's own 403 body rather than the gateway's.
    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', config.jwt.issuer, {
      jwtAudience: [...config.jwt.audience],
      identitySource: ['$request.header.Authorization'],
    });
    if (isPlaceholderIssuer(config.jwt.issuer)) {
      Annotations.of(this).addWarningV2(
        PLACEHOLDER_ISSUER_WARNING,
        `JWT issuer ${config.jwt.issuer} is a placeholder: set the real issuer and audience for "${config.envName}" in infra/config.ts.`,
      );
    }

    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${SERVICE_NAME}-${config.envName}`,
      description: 'Contact Relationship Service',
      // Secure by default: a route added without an explicit authorizer still needs a token.
      defaultAuthorizer: jwtAuthorizer,
      // The stage is created below, with access logging (HttpApi's own default stage cannot have it).
      createDefaultStage: false,
      // API Gateway answers preflights itself (no function runs) and adds the CORS headers for allowed origins.
      ...(config.corsOrigins.length > 0 && {
        corsPreflight: {
          allowOrigins: [...config.corsOrigins],
          allowMethods: CORS_ALLOW_METHODS.map((m) => apigwv2.CorsHttpMethod[m]),
          allowHeaders: [...CORS_ALLOW_HEADERS],
          exposeHeaders: [...CORS_EXPOSE_HEADERS],
          maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
          // Tokens travel in the Authorization header, never in cookies.
          allowCredentials: false,
        },
      }),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // Signs the lookups' page cursors (SPEC 5.6: a cursor is bound to caller, subject and path; a tampered one → 400).
    // Resolved into the function's environment at deploy time; not rotated, since rotating it only ends open cursors.
    const cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: `${SERVICE_NAME}-${config.envName}: signs lookup cursors`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(cursorSecret, [
      { id: 'AwsSolutions-SMG4', reason: 'Only signs page cursors of the lookups; rotating it would just end the cursors open at that moment.' },
    ]);

    const groups = Object.keys(ENDPOINTS_BY_FUNCTION) as FunctionGroup[];
    const functions = {} as Record<FunctionGroup, ServiceFunction>;
    for (const group of groups) {
      const fn = new ServiceFunction(this, toConstructId(group), {
        name: group,
        description: DESCRIPTIONS[group],
        config,
        alarmAction,
        ...(group === 'contact-group-access' && { environment: { CURSOR_SECRET: cursorSecret.secretValue.unsafeUnwrap() } }),
        ...(FUNCTION_ASSETS[group] && { assets: FUNCTION_ASSETS[group] }),
      });
      const access = TABLE_ACCESS[group];
      if (access) fn.bindTable(table, access);
      functions[group] = fn;

      // One integration (and one API-wide invoke permission) per function rather than one permission per route:
      // the function serves all of its group's routes anyway, and its resource policy stays small.
      const integration = new HttpLambdaIntegration(`${toConstructId(group)}Integration`, fn.function, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        scopePermissionToRoute: false,
      });
      for (const endpoint of ENDPOINTS_BY_FUNCTION[group]) {
        const isPublic = endpoint.scope === null;
        const [route] = this.api.addRoutes({
          path: endpoint.path,
          methods: [apigwv2.HttpMethod[endpoint.method]],
          integration,
          authorizer: isPublic ? new apigwv2.HttpNoneAuthorizer() : jwtAuthorizer,
        });
        if (isPublic && route) {
          NagSuppressions.addResourceSuppressions(route, [
            { id: 'AwsSolutions-APIG4', reason: `${endpoint.method} ${endpoint.path} is the public API documentation (SPEC 5.5): served without a token by design.` },
          ]);
        }
      }
    }
    this.functions = functions;

    this.stage
      .metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'ServerErrorsAlarm', {
        alarmDescription: `${SERVICE_NAME}-${config.envName}: the API answered 5xx (503: DynamoDB throttled or unavailable; 500: unexpected errors; or Lambda throttles) — see the README's Operations runbook`,
        threshold: SERVER_ERRORS_ALARM_THRESHOLD,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(alarmAction);

    // Batch access checks by direct invocation (no HTTP): only the principals the environment lists.
    const groupAccess = functions['contact-group-access'];
    config.directInvokePrincipals.forEach((arn, index) => {
      groupAccess.function.addPermission(`DirectInvoke${index}`, {
        principal: new iam.ArnPrincipal(arn),
        action: 'lambda:InvokeFunction',
      });
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'ContactGroupAccessFunctionArn', {
      value: groupAccess.function.functionArn,
      description: 'Invoke directly for batch access checks (principals from infra/config.ts)',
    });
  }
}

/** `contact-group-access` → `ContactGroupAccess`: readable, stable logical ids. */
const toConstructId = (group: string) => group.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
