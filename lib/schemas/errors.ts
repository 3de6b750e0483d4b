// Error bodies (SPEC 5 conventions): the DFS body and the Dezrez body.
import * as z from 'zod';
import { ERROR_STATUS } from '../domain/errors.js';

export const dfsError = z
  .object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    subCode: z.string().meta({ description: 'The rule that failed (e.g. ContactNotFound) or NA.' }),
    message: z.string().meta({ description: 'Localized message.' }),
    correlationId: z.string(),
    properties: z.record(z.string(), z.unknown()).meta({ description: 'Details: offending field paths, ids, allowed values.' }),
  })
  .meta({
    id: 'Error',
    description: 'The DFS error body of every endpoint but the Dezrez one.',
    example: { code: 'UnprocessableEntity', subCode: 'MemberNotFound', message: 'Member not found: 99.', correlationId: '6f1c0b6d2f8e4a4f9f7e2b1a3c4d5e6f', properties: { ids: [99] } },
  });

export const dezrezError = z
  .object({
    Message: z.string(),
    ErrorReference: z.string(),
    Details: z.string(),
    ErrorType: z.string(),
    ValidationErrors: z.array(z.object({ PropertyName: z.string(), Message: z.string() })),
  })
  .meta({
    id: 'DezrezError',
    description: 'The Dezrez error body: ErrorType is the DFS code, Details the subCode, ErrorReference the correlation id.',
    example: {
      Message: 'Contact group not found.',
      ErrorReference: '6f1c0b6d2f8e4a4f9f7e2b1a3c4d5e6f',
      Details: 'GroupNotFound',
      ErrorType: 'NotFound',
      ValidationErrors: [],
    },
  });

/** API Gateway's JWT authorizer refuses a missing, expired or foreign token with this body before any function runs. */
export const authorizerError = z
  .strictObject({ message: z.literal('Unauthorized') })
  .meta({ id: 'AuthorizerError', description: "API Gateway's own 401 body (deployed only): no correlation id, no Content-Language.", example: { message: 'Unauthorized' } });
