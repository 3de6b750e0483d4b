// Payloads of ContactGroupAccess (SPEC 5.2) and the batch check (ours).
import * as z from 'zod';
import { ENTITY_TYPES } from '../domain/catalogues.js';
import { id, list, pathId, uuid } from './common.js';

export const entityType = z.enum(ENTITY_TYPES).meta({ id: 'EntityType' });

export const contactEntityPath = z.object({ contactId: pathId, entityType, entityId: pathId });
export const identityEntityPath = z.object({ identityId: uuid, entityType, entityId: pathId });
export const groupContactPath = z.object({ contactGroupId: pathId, contactId: pathId });
export const groupIdentityPath = z.object({ contactGroupId: pathId, identityId: uuid });

export const accessResponse = z.object({ hasAccess: z.boolean() }).meta({ id: 'AccessResult', example: { hasAccess: true } });

export const accessCheck = z
  .object({
    contactId: id.optional(),
    identityId: uuid.optional(),
    contactGroupId: id.optional(),
    entityType: entityType.optional(),
    entityId: id.optional(),
  })
  .refine((c) => (c.contactId === undefined) !== (c.identityId === undefined), {
    message: 'exactly one of contactId and identityId is required',
    path: ['contactId'],
  })
  .refine(
    (c) => (c.contactGroupId !== undefined) !== (c.entityType !== undefined || c.entityId !== undefined),
    { message: 'either contactGroupId or entityType with entityId is required', path: ['contactGroupId'] },
  )
  .refine((c) => (c.entityType === undefined) === (c.entityId === undefined), {
    message: 'entityType and entityId go together',
    path: ['entityId'],
  })
  .meta({ id: 'AccessCheck' });
export type AccessCheck = z.output<typeof accessCheck>;

export const accessBatchBody = z
  .object({ checks: list(accessCheck) })
  .meta({
    id: 'AccessBatch',
    example: {
      checks: [
        { contactId: 12, contactGroupId: 3 },
        { identityId: '00000000-0000-4000-8000-000000000007', entityType: 'Account', entityId: 1001 },
      ],
    },
  });

export const accessBatchResponse = z
  .object({ results: z.array(accessResponse).meta({ description: 'One result per check, in request order.' }) })
  .meta({ id: 'AccessBatchResult', example: { results: [{ hasAccess: true }, { hasAccess: false }] } });
