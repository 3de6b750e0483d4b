// Binds an endpoint contract to its implementation: scope check, zod validation of path/query/headers/body, JSON reply.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { safeParse } from '../schemas/zod.js';
import type { $ZodType } from 'zod/v4/core';
import type { BodyOf, Endpoint, HeadersOf, ParamsOf, QueryOf, ResponseOf } from '../api/contract.js';
import { requireScope, type Caller } from '../domain/caller.js';
import { BadRequestError, UnauthorizedError, type SubCode } from '../domain/errors.js';
import type { Language } from '../i18n/languages.js';
import { zodDetails } from './error-body.js';
import { stateOf } from './request-state.js';

export interface RouteInput<E extends Endpoint> {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  headers: HeadersOf<E>;
  body: BodyOf<E>;
  /** Present on every authenticated route (scope !== null). */
  caller: E['scope'] extends null ? undefined : Caller;
  lang: Language;
  correlationId: string;
  event: APIGatewayProxyEventV2;
}

export interface RouteReply<E extends Endpoint> {
  body?: ResponseOf<E>;
  headers?: Record<string, string>;
  /** Defaults to the contract's success status. */
  status?: number;
  /** The body is base64 of binary content (e.g. a gzip-compressed asset). */
  isBase64Encoded?: boolean;
}

export interface BoundRoute {
  readonly endpoint: Endpoint;
  readonly method: Endpoint['method'];
  readonly path: string;
  readonly handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
}

/** The subCode answered when a request part fails its schema (the OpenAPI document lists those of each endpoint's parts). */
export const INVALID_PART = {
  params: 'InvalidPath',
  query: 'InvalidQuery',
  headers: 'InvalidHeader',
  body: 'InvalidBody',
} as const satisfies Record<'params' | 'query' | 'headers' | 'body', SubCode<'BadRequest'>>;

function validate<S extends $ZodType | undefined>(schema: S, value: unknown, subCode: SubCode<'BadRequest'>, prefix?: string) {
  if (!schema) return undefined;
  const parsed = safeParse(schema, value);
  if (!parsed.success) {
    const details = zodDetails(parsed.error, subCode, prefix);
    throw new BadRequestError(details.subCode, details.properties);
  }
  return parsed.data;
}

export function route<E extends Endpoint>(endpoint: E, implementation: (input: RouteInput<E>) => Promise<RouteReply<E>>): BoundRoute {
  return {
    endpoint,
    method: endpoint.method,
    path: endpoint.path,
    handler: async (event) => {
      const state = stateOf(event);
      state.errorStyle = endpoint.errorStyle ?? 'dfs';
      if (endpoint.scope !== null) {
        if (!state.caller) throw new UnauthorizedError('MissingToken');
        requireScope(state.caller, endpoint.scope);
      }
      const input = {
        params: validate(endpoint.params, event.pathParameters ?? {}, INVALID_PART.params),
        query: validate(endpoint.query, event.queryStringParameters ?? {}, INVALID_PART.query),
        headers: validate(endpoint.headers, event.headers ?? {}, INVALID_PART.headers),
        body: validate(endpoint.body, event.body, INVALID_PART.body),
        caller: state.caller,
        lang: state.lang,
        correlationId: state.correlationId,
        event,
      } as RouteInput<E>;
      const reply = await implementation(input);
      const status = reply.status ?? endpoint.success.status;
      const contentType = endpoint.success.contentType ?? 'application/json; charset=utf-8';
      return {
        statusCode: status,
        headers: { ...(reply.body !== undefined && { 'content-type': contentType }), ...reply.headers },
        body: reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
        ...(reply.isBase64Encoded && { isBase64Encoded: true }),
      };
    },
  };
}
