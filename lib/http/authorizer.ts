// What the HTTP API's JWT authorizer answers before any function runs, and what the local gateway answers in its place.
import type { SubCode } from '../domain/errors.js';

/** The local gateway's refusals, in the error body of the route (DFS or Dezrez). */
export const AUTHORIZER_SUB_CODES = {
  missing: 'MissingToken',
  invalid: 'InvalidToken',
} as const satisfies Record<string, SubCode<'Unauthorized'>>;

/** API Gateway's own 401 body (HTTP API JWT authorizer): fixed by AWS, it carries neither correlation id nor language. */
export const AWS_AUTHORIZER_BODY = { message: 'Unauthorized' } as const;

/** Sent with every 401, as API Gateway does (RFC 6750). */
export const WWW_AUTHENTICATE = 'Bearer';
