// The OpenAPI 3.1 document, generated from the endpoint contracts (the same zod schemas that validate requests).
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import type { Endpoint, ErrorStatus } from './contract.js';
import { ALL_ENDPOINTS } from './contracts/index.js';
import { dezrezError, dfsError } from '../schemas/errors.js';
import { SUPPORTED_LANGUAGES } from '../i18n/languages.js';
import * as zod from 'zod';

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Bad Request: malformed input (InvalidBody, InvalidPath, InvalidJson, TooManyItems, …)',
  401: 'Unauthorized: missing or invalid token or claims',
  403: 'Forbidden: missing scope or no access to the object',
  404: 'Not Found',
  409: 'Conflict: a concurrent writer won every retry',
  412: 'Precondition Failed: If-Match does not match the current version',
  422: 'Unprocessable Entity: a business rule is broken',
  500: 'General: unexpected error (no internals are returned)',
};

const languageQuery = zod.object({
  language: zod.enum(SUPPORTED_LANGUAGES).optional().meta({ description: 'ISO 639-1 language; overrides Accept-Language.' }),
});

function register(registry: OpenAPIRegistry, e: Endpoint) {
  const errorSchema = e.errorStyle === 'dezrez' ? dezrezError : dfsError;
  const responses: Record<string, unknown> = {
    [e.success.status]: {
      description: e.success.description,
      ...(e.success.headers && {
        headers: Object.fromEntries(Object.entries(e.success.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])),
      }),
      ...(e.success.schema && {
        content: {
          [e.success.contentType?.split(';')[0] ?? 'application/json']: {
            schema: e.success.schema,
            ...(e.example?.response !== undefined && { example: e.example.response }),
          },
        },
      }),
    },
  };
  for (const status of e.errors) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: errorSchema } } };
  }
  const query = e.scope === null ? e.query : e.query ? (e.query as zod.ZodObject).extend(languageQuery.shape) : languageQuery;
  registry.registerPath({
    method: e.method.toLowerCase() as 'get',
    path: e.path,
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description && { description: e.description }),
    tags: [e.tag],
    ...(e.scope !== null && { security: [{ bearer: [e.scope] }] }),
    request: {
      ...(e.params && { params: e.params as zod.ZodObject }),
      ...(query && { query: query as zod.ZodObject }),
      ...(e.headers && { headers: e.headers as zod.ZodObject }),
      ...(e.body && { body: { required: true, content: { 'application/json': { schema: e.body as z.ZodType } } } }),
    },
    responses: responses as never,
  });
}

export function buildOpenApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Claims: sub, caller_type (application|member|contact), participant_uid, member_id, contact_id, scope (crs.read crs.write crs.admin).',
  });
  for (const e of ALL_ENDPOINTS) register(registry, e);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Contact Relationship Service',
      version: '1.0.0',
      description: 'Participants, advisors, contact groups, relatives and access checks around a contact.',
    },
    ...(serverUrl && { servers: [{ url: serverUrl }] }),
  });
}
