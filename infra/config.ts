// Per-environment deployment settings, chosen with `cdk synth|deploy -c env=<name>` (default dev).
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Language } from '../lib/i18n/languages.js';

export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ServiceConfig {
  readonly envName: EnvironmentName;
  /**
   * The identity provider whose tokens the HTTP API's JWT authorizer accepts (SPEC 3). The authorizer fetches the
   * signing keys from `<issuer>/.well-known/openid-configuration`, so the issuer must be reachable over HTTPS.
   */
  readonly jwt: { readonly issuer: string; readonly audience: readonly string[] };
  /** DATA_SEGREGATION: applications (and member assignments) are limited to contacts of their participant. */
  readonly dataSegregation: boolean;
  readonly defaultLanguage: Language;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  /** For the table, the dead-letter queues and the log groups: what happens to them when their stack goes. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** Active X-Ray tracing on every function. */
  readonly tracing: boolean;
  /**
   * IAM principal ARNs (roles, users or account roots) allowed to invoke the `contact-group-access` function
   * directly, for batch access checks without going through HTTP. Empty: nobody.
   */
  readonly directInvokePrincipals: readonly string[];
  /** Where alarm notifications go; none: the alarm topic has no subscription (subscribe it out of band). */
  readonly alarmEmail?: string;
  /**
   * Origins of browser front ends allowed to call the API (SPEC 5 CORS), e.g. 'https://advisor.example.com'; '*' for
   * any. Answered by the HTTP API's CORS configuration: preflights never reach a function. Empty: no CORS at all.
   */
  readonly corsOrigins: readonly string[];
}

/** A developer's own environment: cheap, disposable, loud logs. */
const dev: ServiceConfig = {
  envName: 'dev',
  // PLACEHOLDER: replace with the dev identity provider's issuer URL and the audience its tokens carry.
  jwt: { issuer: 'https://auth.dev.example.com/', audience: ['contact-relationships-dev'] },
  dataSegregation: false,
  defaultLanguage: 'en',
  logLevel: 'DEBUG',
  logRetention: RetentionDays.ONE_WEEK,
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
  tracing: false,
  directInvokePrincipals: [],
  // e.g. ['http://localhost:5173'] for a front end developed against the dev API.
  corsOrigins: [],
};

/** Production: everything stateful survives stack deletion. */
const prod: ServiceConfig = {
  envName: 'prod',
  // PLACEHOLDER: replace with the production identity provider's issuer URL and the audience its tokens carry.
  jwt: { issuer: 'https://auth.example.com/', audience: ['contact-relationships'] },
  dataSegregation: true,
  defaultLanguage: 'en',
  logLevel: 'INFO',
  logRetention: RetentionDays.SIX_MONTHS,
  removalPolicy: RemovalPolicy.RETAIN,
  deletionProtection: true,
  tracing: true,
  // e.g. 'arn:aws:iam::123456789012:role/booking-service' — callers of the batch access check by direct invocation.
  directInvokePrincipals: [],
  // alarmEmail: 'operations@example.com',
  // e.g. ['https://advisor.example.com'] — the production front ends' origins.
  corsOrigins: [],
};

export const CONFIGS: Readonly<Record<EnvironmentName, ServiceConfig>> = { dev, prod };

const isEnvironmentName = (name: string): name is EnvironmentName => (ENVIRONMENT_NAMES as readonly string[]).includes(name);

/** The config of `-c env=<name>`; an unknown name fails the synth rather than deploying something unintended. */
export function loadConfig(envName: unknown = 'dev'): ServiceConfig {
  const name = String(envName);
  if (!isEnvironmentName(name)) {
    throw new Error(`Unknown environment "${name}": use -c env=${ENVIRONMENT_NAMES.join('|')} (see infra/config.ts).`);
  }
  return CONFIGS[name];
}

/** Issuers still pointing at example.com were never edited: every request would be rejected with 401. */
export const isPlaceholderIssuer = (issuer: string) => /(^|\.)example\.com$/.test(new URL(issuer).hostname);
