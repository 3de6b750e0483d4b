// The OpenAPI 3.1 document (SPEC 5, 5.5), generated from the endpoint contracts (the zod schemas that validate the
// requests) and from the code: the subCodes of each operation come from what its implementation raises
// (raised-sub-codes.generated.ts), from its request parts and from authentication, never from a hand list.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { Endpoint } from './contract.js';
import { ALL_ENDPOINTS, TAGS } from './contracts/index.js';
import { RAISED_BY_AUTHENTICATION, RAISED_BY_OPERATION } from './raised-sub-codes.generated.js';
import { authorizerError, dezrezError, dfsError } from '../schemas/errors.js';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { SCOPES } from '../domain/caller.js';
import { INVALID_PART } from '../http/route.js';
import { SAFE_CORRELATION_ID } from '../http/middlewares.js';
import { INVALID_JSON, TOO_MANY_ITEMS, errorBody } from '../http/error-body.js';
import { AUTHORIZER_SUB_CODES, AWS_AUTHORIZER_BODY } from '../http/authorizer.js';
import { SUPPORTED_LANGUAGES } from '../i18n/languages.js';
import { t } from '../i18n/messages.js';

/** Where the local server answers when the document is built without a request (tests, lint). */
export const LOCAL_SERVER_URL = 'http://localhost:3000';
const EXAMPLE_CORRELATION_ID = '6f1c0b6d2f8e4a4f9f7e2b1a3c4d5e6f';

const CODE_TEXT: Record<ErrorCode, string> = {
  BadRequest: 'Bad Request: the request is malformed (bad JSON, wrong type, bad uuid, an id that is not a positive int32, a missing or null required list, more than 100 items, a string over its length).',
  Unauthorized: 'Unauthorized: no usable identity (missing, invalid or expired token, malformed claims).',
  Forbidden: 'Forbidden: a scope is missing, or the caller may not access the object.',
  NotFound: 'Not Found: an object named in the path does not exist.',
  Conflict: 'Conflict: concurrent writers won every retry (nothing was changed; retry).',
  PreconditionFailed: 'Precondition Failed: If-Match does not name the current version.',
  UnprocessableEntity: 'Unprocessable Entity: well-formed, but breaks a rule (unknown referenced id, unknown catalogue value, a group rule).',
  General: 'General: an unexpected error; no internals are returned.',
  ServiceUnavailable: 'Service Unavailable: DynamoDB throttled or was unavailable. Nothing was changed; retry after Retry-After seconds.',
};

/** The errors an operation can answer: subCodes by code, from the code that raises them. */
export function errorsOf(e: Endpoint): Map<ErrorCode, string[]> {
  const out = new Map<ErrorCode, Set<string>>();
  const add = (code: ErrorCode, ...subCodes: readonly string[]) => {
    const set = out.get(code) ?? new Set<string>();
    for (const s of subCodes) set.add(s);
    out.set(code, set);
  };
  const addAll = (raised: Partial<Record<ErrorCode, readonly string[]>>) => {
    for (const [code, subCodes] of Object.entries(raised) as [ErrorCode, readonly string[]][]) add(code, ...subCodes);
  };
  const raised = (RAISED_BY_OPERATION as Record<string, Partial<Record<ErrorCode, readonly string[]>>>)[e.operationId];
  if (!raised) throw new Error(`${e.operationId} is not in raised-sub-codes.generated.ts: run npm run generate`);
  addAll(raised);
  for (const part of ['params', 'query', 'headers', 'body'] as const) {
    const schema = e[part];
    if (!schema) continue;
    add('BadRequest', INVALID_PART[part]);
    if (JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })).includes('"maxItems"')) add('BadRequest', TOO_MANY_ITEMS);
  }
  // Every request body is parsed before routing (lib/http/pipeline.ts): even a GET with a body that is not JSON is refused.
  add('BadRequest', INVALID_JSON);
  if (e.scope !== null) {
    addAll(RAISED_BY_AUTHENTICATION);
    add('Unauthorized', ...Object.values(AUTHORIZER_SUB_CODES));
  }
  add('General', 'NA');
  // The public documentation reads no data: only the operations on the table can meet a throttled DynamoDB.
  if (e.fn !== 'docs') add('ServiceUnavailable', 'NA');
  const order = Object.keys(ERROR_STATUS) as ErrorCode[];
  return new Map([...out.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([code, set]) => [code, [...set].sort()]));
}

/** Example values for the placeholders of the messages (`{ids}`, `{scope}`, …). */
const PLACEHOLDERS: Record<string, unknown> = { ids: [99], scope: 'crs.write', max: 100, allowed: ['PrimaryGroupMember', 'GroupMember', '…'] };
const VALIDATION_SUB_CODES = new Set<string>([...Object.values(INVALID_PART), TOO_MANY_ITEMS]);

function exampleProperties(subCode: string): Record<string, unknown> {
  if (VALIDATION_SUB_CODES.has(subCode)) {
    const field = subCode === TOO_MANY_ITEMS ? 'memberIds' : subCode === INVALID_PART.params ? 'contactId' : 'groupName';
    const message = subCode === TOO_MANY_ITEMS ? 'Too big: expected array to have <=100 items' : 'Invalid input';
    return { fields: [field], errors: [{ field, message }] };
  }
  const template = t('en', subCode);
  return Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, PLACEHOLDERS[name!] ?? 1]));
}

const exampleOf = (schema: z.ZodType | undefined, given: unknown) => given ?? (schema ? (z.globalRegistry.get(schema) as { example?: unknown } | undefined)?.example : undefined);

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => `${dash}${c.toUpperCase()}`);

type ExampleComponents = Map<string, { summary: string; value: unknown }>;

function errorResponse(e: Endpoint, code: ErrorCode, subCodes: string[], exampleComponents: ExampleComponents) {
  const status = ERROR_STATUS[code];
  const style = e.errorStyle ?? 'dfs';
  const fromAuthorizer = code === 'Unauthorized' && e.scope !== null;
  // The error body component, narrowed to this status's code and subCodes (raw JSON Schema: generating ~200 of these
  // from zod would double the docs function's cold start).
  const [codeField, subCodeField] = style === 'dezrez' ? ['ErrorType', 'Details'] : ['code', 'subCode'];
  const narrowed = {
    allOf: [
      ref('schemas', style === 'dezrez' ? 'DezrezError' : 'Error'),
      { type: 'object', properties: { [codeField]: { const: code }, [subCodeField]: { type: 'string', enum: subCodes } } },
    ],
  };
  // Shared by every operation answering the same error: one component each, referenced from the responses.
  const examples: Record<string, { $ref: string }> = {};
  for (const subCode of subCodes) {
    const name = `${style === 'dezrez' ? 'Dezrez.' : ''}${code}.${subCode}`;
    if (!exampleComponents.has(name)) {
      const mapped = { status, code, subCode, properties: exampleProperties(subCode), unexpected: false };
      exampleComponents.set(name, {
        summary: subCode === 'NA' ? t('en', `code.${code}`) : `${subCode}: ${t('en', subCode, mapped.properties)}`,
        value: errorBody(mapped, 'en', EXAMPLE_CORRELATION_ID, style),
      });
    }
    examples[subCode === 'NA' ? code : subCode] = ref('examples', name);
  }
  if (fromAuthorizer) examples.AuthorizerUnauthorized = ref('examples', 'AuthorizerUnauthorized');
  const listed = subCodes.filter((s) => s !== 'NA').map((s) => `- \`${s}\`: ${t('en', s, exampleProperties(s))}`);
  const description = [
    CODE_TEXT[code],
    ...(listed.length > 0 ? ['', `${style === 'dezrez' ? '`Details`' : '`subCode`'} is one of:`, ...listed] : []),
    ...(fromAuthorizer ? ['', "Deployed, API Gateway's JWT authorizer refuses a missing, invalid or expired token itself, with its own body `{\"message\":\"Unauthorized\"}` (no correlation id, no Content-Language); the local gateway answers with this endpoint's error body instead."] : []),
  ].join('\n');
  return {
    description,
    headers: {
      'x-correlation-id': fromAuthorizer ? ref('headers', 'CorrelationIdUnlessAuthorizer') : ref('headers', 'CorrelationId'),
      'Content-Language': fromAuthorizer ? ref('headers', 'ContentLanguageUnlessAuthorizer') : ref('headers', 'ContentLanguage'),
      ...(code === 'Unauthorized' && { 'WWW-Authenticate': ref('headers', 'WWWAuthenticate') }),
      ...(code === 'ServiceUnavailable' && { 'Retry-After': ref('headers', 'RetryAfter') }),
    },
    content: { 'application/json': { schema: fromAuthorizer ? { anyOf: [narrowed, ref('schemas', 'AuthorizerError')] } : narrowed, examples } },
  };
}

function register(registry: OpenAPIRegistry, e: Endpoint, exampleComponents: ExampleComponents) {
  const responseExample = exampleOf(e.success.schema, e.example?.response);
  const responses: Record<string, unknown> = {
    [e.success.status]: {
      description: e.success.description,
      headers: {
        'x-correlation-id': ref('headers', 'CorrelationId'),
        'Content-Language': ref('headers', 'ContentLanguage'),
        ...Object.fromEntries(
          Object.entries(e.success.headers ?? {}).map(([name, description]) => [name, { description, required: true, schema: { type: 'string' } }]),
        ),
      },
      ...(e.success.schema && {
        content: {
          [e.success.contentType?.split(';')[0] ?? 'application/json']: {
            schema: e.success.schema,
            ...(responseExample !== undefined && { example: responseExample }),
          },
        },
      }),
    },
  };
  for (const [code, subCodes] of errorsOf(e)) responses[ERROR_STATUS[code]] = errorResponse(e, code, subCodes, exampleComponents);

  const headerParameters = e.headers
    ? Object.entries((e.headers as z.ZodObject).shape).map(([name, schema]) => {
        const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
        const { description, $schema: _, ...rest } = json;
        return { name: headerName(name), in: 'header' as const, required: !(schema as z.ZodType).safeParse(undefined).success, description: String(description ?? ''), schema: rest };
      })
    : [];
  const requestExample = exampleOf(e.body, e.example?.request);
  registry.registerPath({
    method: e.method.toLowerCase() as 'get',
    path: e.path,
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description && { description: e.description }),
    tags: [e.tag],
    security: e.scope === null ? [] : [{ bearer: [e.scope] }],
    parameters: [
      ref('parameters', 'CorrelationId'),
      ...(e.fn === 'docs' ? [] : [ref('parameters', 'Language'), ref('parameters', 'AcceptLanguage')]),
      ...headerParameters,
    ] as never,
    request: {
      ...(e.params && { params: e.params as z.ZodObject }),
      ...(e.query && { query: e.query as z.ZodObject }),
      ...(e.body && {
        body: {
          required: true,
          content: { 'application/json': { schema: e.body, ...(requestExample !== undefined && { example: requestExample }) } },
        },
      }),
    },
    responses: responses as never,
  });
}

const CLAIMS = `Every request but the documentation carries \`Authorization: Bearer <JWT>\`. Deployed, API Gateway's JWT authorizer checks signature, issuer, audience and expiry; the function then checks the claims' shape (bad claims → 401 \`InvalidClaims\`). Locally the gateway verifies against the local key pair (\`npm run -s token -- --help\`).

| claim | meaning |
|---|---|
| \`sub\` | the caller's identity id (uuid for members and contacts; client id for applications) |
| \`caller_type\` | \`application\` \\| \`member\` \\| \`contact\` |
| \`participant_uid\` | uuid of the caller's participant (applications and members; optional) |
| \`member_id\` | int32, members only (a member's \`sub\` is its identity id) |
| \`contact_id\` | int32, contacts only |
| \`scope\` | space-separated: ${SCOPES.map((s) => `\`${s}\``).join(', ')} |

Scopes: reads, searches and access checks need \`crs.read\`; mutations need \`crs.write\` (contacts never write); \`crs.admin\` lifts every contact-level restriction. \`crs.admin\` does not imply the others. A missing scope → 403 \`MissingScope\`. Each operation names the scope it needs.`;

const CONVENTIONS = `Participants, advisors (members), contact groups, relatives and access checks around a contact.

**Conventions (every endpoint)**
- JSON; camelCase, except the Dezrez endpoint (PascalCase).
- Language: \`language\` query parameter, else \`Accept-Language\` (first supported tag), else the deployment default. Supported: ${SUPPORTED_LANGUAGES.join(', ')}. Error messages and catalogue names are localized; the response carries \`Content-Language\`.
- Correlation: \`x-correlation-id\` (1–128 characters of \`[A-Za-z0-9._:-]\`) is used when sent, else generated (32 hex characters); echoed in the response header and in every error body.
- Errors: \`{code, subCode, message, correlationId, properties}\`; the Dezrez endpoint answers \`{Message, ErrorReference, Details, ErrorType, ValidationErrors}\`. Each response lists the subCodes the operation can answer. Unknown ids → 404, existing but not accessible → 403; errors never reveal data of inaccessible objects.
- Groups carry a version: \`GET\` returns it as \`ETag\`, \`PUT\`/\`DELETE\` honour \`If-Match\` (412 on mismatch). Group creation honours \`Idempotency-Key\`.
- Search pages with \`page\` (≥ 1) and \`pageSize\` (1–100); the answer adds \`page\`, \`pageSize\`, \`totalCount\`.
- CORS: browser front ends on the origins configured for the environment may call the API; preflights are answered by the gateway.

# Authentication

<!-- ReDoc-Inject: <security-definitions> -->`;

export interface OpenApiOptions {
  /** The base URL clients call (the host that served the document); the local server's by default. */
  serverUrl?: string;
}

export function buildOpenApiDocument(options: OpenApiOptions = {}) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: CLAIMS });
  // The error bodies, generated from their zod schemas, as components the responses refer to.
  const errorComponents = new OpenApiGeneratorV31([dfsError, dezrezError, authorizerError].map((schema) => ({ type: 'schema' as const, schema })))
    .generateComponents().components?.schemas ?? {};
  for (const name of ['Error', 'DezrezError', 'AuthorizerError']) {
    if (!errorComponents[name]) throw new Error(`error component ${name} not generated`);
    registry.registerComponent('schemas', name, errorComponents[name]);
  }
  registry.registerComponent('parameters', 'CorrelationId', {
    name: 'x-correlation-id', in: 'header', required: false,
    description: 'Used as the correlation id when 1–128 characters of [A-Za-z0-9._:-]; otherwise one is generated. Echoed in the response.',
    schema: { type: 'string', maxLength: 128, pattern: SAFE_CORRELATION_ID.source }, example: EXAMPLE_CORRELATION_ID,
  });
  registry.registerComponent('parameters', 'Language', {
    name: 'language', in: 'query', required: false,
    description: `The reply language (ISO 639-1; a region such as de-CH counts as de): ${SUPPORTED_LANGUAGES.join(', ')}. Overrides Accept-Language; an unsupported value is ignored.`,
    schema: { type: 'string', maxLength: 35 }, example: 'de',
  });
  registry.registerComponent('parameters', 'AcceptLanguage', {
    name: 'Accept-Language', in: 'header', required: false,
    description: `Used when there is no language parameter: the first supported tag by quality (${SUPPORTED_LANGUAGES.join(', ')}), else the deployment default.`,
    schema: { type: 'string' }, example: 'de-CH, de;q=0.9, en;q=0.8',
  });
  const header = (description: string, schema: Record<string, unknown>, required = true) => ({ description, required, schema });
  registry.registerComponent('headers', 'CorrelationId', header('The correlation id of the request (as sent, or generated).', { type: 'string' }));
  registry.registerComponent('headers', 'ContentLanguage', header('The language of messages and catalogue names in this response.', { type: 'string', enum: [...SUPPORTED_LANGUAGES] }));
  registry.registerComponent('headers', 'CorrelationIdUnlessAuthorizer', header("The correlation id; absent on API Gateway's own 401.", { type: 'string' }, false));
  registry.registerComponent('headers', 'ContentLanguageUnlessAuthorizer', header("The language of the message; absent on API Gateway's own 401.", { type: 'string', enum: [...SUPPORTED_LANGUAGES] }, false));
  registry.registerComponent('headers', 'WWWAuthenticate', header('The authentication scheme to use (RFC 6750): `Bearer`, possibly with error details.', { type: 'string', pattern: '^Bearer' }));
  registry.registerComponent('headers', 'RetryAfter', header('Seconds to wait before retrying.', { type: 'integer', minimum: 0 }));

  const exampleComponents: ExampleComponents = new Map([
    ['AuthorizerUnauthorized', { summary: "API Gateway's JWT authorizer (deployed): missing, expired or foreign token", value: AWS_AUTHORIZER_BODY }],
  ]);
  for (const e of ALL_ENDPOINTS) register(registry, e, exampleComponents);
  for (const [name, example] of [...exampleComponents].sort(([a], [b]) => a.localeCompare(b))) registry.registerComponent('examples', name, example);
  const used = new Set(ALL_ENDPOINTS.map((e) => e.tag));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Contact Relationship Service',
      version: '1.0.0',
      description: CONVENTIONS,
      // PLACEHOLDER: the owning team's address, like the issuers in infra/config.ts.
      contact: { name: 'Contact Relationship Service team', email: 'crs-team@example.com' },
      license: { name: 'Proprietary: for the platform\'s workloads only', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: options.serverUrl ?? LOCAL_SERVER_URL, description: options.serverUrl ? 'This service' : 'The local server (npm start)' }],
    tags: TAGS.filter((tag) => used.has(tag.name)).map((tag) => ({ ...tag })),
  });
}
