// Error bodies (SPEC 5 conventions): the DFS body and the Dezrez body.
import * as z from './zod.js';
import { ERROR_STATUS } from '../domain/errors.js';

export const dfsError = z.withMeta(
  z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    subCode: z.withMeta(z.string(), { description: 'The rule that failed (e.g. ContactNotFound) or NA.' }),
    message: z.withMeta(z.string(), { description: 'Localized message.' }),
    correlationId: z.string(),
    properties: z.withMeta(z.record(z.string(), z.unknown()), { description: 'Details: offending field paths, ids, allowed values.' }),
  }),
  {
    id: 'Error',
    description: 'The DFS error body of every endpoint but the Dezrez one.',
    example: { code: 'UnprocessableEntity', subCode: 'MemberNotFound', message: 'Member not found: 99.', correlationId: '6f1c0b6d2f8e4a4f9f7e2b1a3c4d5e6f', properties: { ids: [99] } },
  },
);

export const dezrezError = z.withMeta(
  z.object({
    Message: z.string(),
    ErrorReference: z.string(),
    Details: z.string(),
    ErrorType: z.string(),
    ValidationErrors: z.array(z.object({ PropertyName: z.string(), Message: z.string() })),
  }),
  {
    id: 'DezrezError',
    description: 'The Dezrez error body: ErrorType is the DFS code, Details the subCode, ErrorReference the correlation id.',
    example: {
      Message: 'Contact group not found.',
      ErrorReference: '6f1c0b6d2f8e4a4f9f7e2b1a3c4d5e6f',
      Details: 'GroupNotFound',
      ErrorType: 'NotFound',
      ValidationErrors: [],
    },
  },
);

/** API Gateway's JWT authorizer refuses a missing, expired or foreign token with this body before any function runs. */
export const authorizerError = z.withMeta(z.strictObject({ message: z.literal('Unauthorized') }), {
  id: 'AuthorizerError',
  description: "API Gateway's own 401 body (deployed only): no correlation id, no Content-Language.",
  example: { message: 'Unauthorized' },
});
