// Tiny single-purpose middy middlewares: correlation id, language, caller from JWT claims, error body, access log.
import { randomBytes } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { callerFromClaims } from '../domain/caller.js';
import { UnauthorizedError } from '../domain/errors.js';
import { resolveLanguage, type Language } from '../i18n/languages.js';
import { errorBody, mapError } from './error-body.js';
import { stateOf } from './request-state.js';
import { enterCorrelation } from '../observability/correlation.js';
import { WWW_AUTHENTICATE } from './authorizer.js';

type Event = APIGatewayProxyEventV2 & { requestContext: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } };
type Middleware = MiddlewareObj<Event, APIGatewayProxyResultV2>;

/** A correlation id the service takes as given (else it makes one): no log injection, bounded length. */
export const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const header = (event: Event, name: string) => event.headers?.[name] ?? undefined;

function withHeaders(response: APIGatewayProxyResultV2 | null | undefined, headers: Record<string, string>) {
  if (!response || typeof response !== 'object') return response ?? null;
  const structured = response as APIGatewayProxyStructuredResultV2;
  structured.headers = { ...structured.headers, ...headers };
  return structured;
}

/** x-correlation-id: taken from the request when well-formed, else 32 hex chars; echoed on every response. */
export function correlation(logger: Logger): Middleware {
  const echo = (request: { event: Event; response: APIGatewayProxyResultV2 | null | undefined }) => {
    request.response = withHeaders(request.response, { 'x-correlation-id': stateOf(request.event).correlationId });
  };
  return {
    before: (request) => {
      const given = header(request.event, 'x-correlation-id');
      const id = given && SAFE_CORRELATION_ID.test(given) ? given : randomBytes(16).toString('hex');
      stateOf(request.event).correlationId = id;
      enterCorrelation(id);
      logger.appendKeys({ correlationId: id });
    },
    after: echo,
    onError: echo,
  };
}

/** Language: `language` query, then Accept-Language, then the default; answered in Content-Language. */
export function localization(defaultLanguage: Language): Middleware {
  const answer = (request: { event: Event; response: APIGatewayProxyResultV2 | null | undefined }) => {
    request.response = withHeaders(request.response, { 'content-language': stateOf(request.event).lang });
  };
  return {
    before: (request) => {
      stateOf(request.event).lang = resolveLanguage({
        query: request.event.queryStringParameters?.language,
        acceptLanguage: header(request.event, 'accept-language'),
        defaultLanguage,
      });
    },
    after: answer,
    onError: answer,
  };
}

/** The caller from the JWT authorizer's claims (API Gateway verified the token; the shape is checked here). */
export function authentication(): Middleware {
  return {
    before: (request) => {
      const claims = request.event.requestContext?.authorizer?.jwt?.claims;
      if (!claims) throw new UnauthorizedError('MissingToken');
      stateOf(request.event).caller = callerFromClaims(claims);
    },
  };
}

/** Any error → the documented error body; unexpected ones are logged with their stack and answered 500 without detail. */
export function errorResponse(logger: Logger): Middleware {
  return {
    onError: (request) => {
      const state = stateOf(request.event);
      const mapped = mapError(request.error);
      if (mapped.unexpected) logger.error('unhandled error', request.error as Error);
      else if (mapped.unavailable) {
        const error = request.error as { name?: string; message?: string } | null;
        logger.warn('DynamoDB unavailable', { status: mapped.status, reason: mapped.unavailable.reason, error: error?.name, detail: error?.message });
      } else logger.info('request refused', { status: mapped.status, code: mapped.code, subCode: mapped.subCode });
      request.response = {
        statusCode: mapped.status,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(mapped.status === 401 && { 'www-authenticate': WWW_AUTHENTICATE }),
          ...(mapped.unavailable && { 'retry-after': String(mapped.unavailable.retryAfterSeconds) }),
        },
        body: JSON.stringify(errorBody(mapped, state.lang, state.correlationId, state.errorStyle)),
      };
    },
  };
}

/** One access-log line per request. */
export function accessLog(logger: Logger): Middleware {
  const log = (request: { event: Event; response: APIGatewayProxyResultV2 | null | undefined }) => {
    const status = typeof request.response === 'object' ? (request.response as APIGatewayProxyStructuredResultV2).statusCode : undefined;
    logger.info('request', {
      method: request.event.requestContext?.http?.method,
      path: request.event.rawPath,
      status,
      durationMs: Date.now() - stateOf(request.event).startedAt,
    });
  };
  return { before: (request) => void stateOf(request.event), after: log, onError: log };
}
