// The one mapper from any error to an HTTP error response: DFS body or Dezrez body, localized, never leaking internals.
import { ZodError } from '../schemas/zod.js';
import { DomainError, type ErrorCode, type SubCode } from '../domain/errors.js';
import { t } from '../i18n/messages.js';
import type { Language } from '../i18n/languages.js';
import type { ErrorStyle } from './request-state.js';
import { RETRY_AFTER_SECONDS, unavailabilityOf, type Unavailability } from '../aws/unavailable.js';

export interface MappedError {
  status: number;
  code: ErrorCode;
  subCode: string;
  properties: Record<string, unknown>;
  /** Set for errors we did not expect (logged with their stack). */
  unexpected: boolean;
  /** 503 only: why DynamoDB could not serve, and the seconds the client should wait (the Retry-After header). */
  unavailable?: { reason: Unavailability; retryAfterSeconds: number };
}

interface HttpLikeError {
  statusCode?: number;
  cause?: { package?: string };
}

export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    return { status: error.status, code: error.code, subCode: error.subCode, properties: error.properties, unexpected: false };
  }
  if (error instanceof ZodError) {
    return { status: 400, code: 'BadRequest', ...zodDetails(error, 'InvalidBody'), unexpected: false };
  }
  const http = error as HttpLikeError;
  if (http?.cause?.package === '@middy/http-router') {
    return { status: 404, code: 'NotFound', subCode: 'RouteNotFound', properties: {}, unexpected: false };
  }
  if (http?.cause?.package === '@middy/http-json-body-parser') {
    return { status: 400, code: 'BadRequest', subCode: INVALID_JSON, properties: {}, unexpected: false };
  }
  const reason = unavailabilityOf(error);
  if (reason) {
    // Throttled, unavailable or too slow: nothing half-written, the client may retry (SPEC 5 conventions).
    return { status: 503, code: 'ServiceUnavailable', subCode: 'NA', properties: {}, unexpected: false, unavailable: { reason, retryAfterSeconds: RETRY_AFTER_SECONDS[reason] } };
  }
  return { status: 500, code: 'General', subCode: 'NA', properties: {}, unexpected: true };
}

/** The subCode of a body that is not JSON (middy's parser fails before any schema runs). */
export const INVALID_JSON = 'InvalidJson' satisfies SubCode<'BadRequest'>;
/** The subCode of any request part holding a list over its limit, whatever the part. */
export const TOO_MANY_ITEMS = 'TooManyItems' satisfies SubCode<'BadRequest'>;

/** Zod issues → subCode (TooManyItems when a list is over its limit) and the offending field paths. */
export function zodDetails<S extends SubCode<'BadRequest'>>(error: ZodError, subCode: S, prefix?: string): { subCode: S | typeof TOO_MANY_ITEMS; properties: Record<string, unknown> } {
  const errors = error.issues.slice(0, 20).map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
  const tooMany = error.issues.some((i) => i.code === 'too_big' && i.origin === 'array');
  return { subCode: tooMany ? TOO_MANY_ITEMS : subCode, properties: { fields: errors.map((e) => e.field), errors } };
}

export function messageFor(mapped: Pick<MappedError, 'code' | 'subCode' | 'properties'>, lang: Language): string {
  const key = mapped.subCode !== 'NA' && t('en', mapped.subCode) !== mapped.subCode ? mapped.subCode : `code.${mapped.code}`;
  return t(lang, key, mapped.properties);
}

export function errorBody(mapped: MappedError, lang: Language, correlationId: string, style: ErrorStyle): Record<string, unknown> {
  const message = messageFor(mapped, lang);
  if (style === 'dezrez') {
    const errors = (mapped.properties.errors as { field: string; message: string }[] | undefined) ?? [];
    return {
      Message: message,
      ErrorReference: correlationId,
      Details: mapped.subCode,
      ErrorType: mapped.code,
      ValidationErrors: errors.map((e) => ({ PropertyName: e.field, Message: e.message })),
    };
  }
  return { code: mapped.code, subCode: mapped.subCode, message, correlationId, properties: mapped.properties };
}
