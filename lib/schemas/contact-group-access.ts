// Payloads of ContactGroupAccess (SPEC 5.2) and the batch check (ours).
import * as z from 'zod';
import { ENTITY_TYPES } from '../domain/catalogues.js';
import { id, list, pathId, uuid } from './common.js';

export const entityType = z.enum(ENTITY_TYPES).meta({ id: 'EntityType' });

export const contactEntityPath = z.object({ contactId: pathId, entityType, entityId: pathId });
export const identityEntityPath = z.object({ identityId: uuid, entityType, entityId: pathId });
export const groupContactPath = z.object({ contactGroupId: pathId, contactId: pathId });
export const groupIdentityPath = z.object({ contactGroupId: pathId, identityId: uuid });

/** `explain=true` (SPEC 5.2): the answer carries the path that decides it. */
export const explainQuery = z.object({
  explain: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({ description: 'true: the answer carries `reason`, the path that decides it (no extra cost when granted).', example: 'true' }),
});

export const REASON_CODES = [
  'ActiveMembership', 'DirectAssignment', 'Hierarchy', 'NotAMember', 'MembershipNotActive', 'NoAccessibleContact', 'EntityNotLinked', 'SubjectInactive',
] as const;

export const accessReason = z
  .object({
    code: z.enum(REASON_CODES).meta({
      description:
        'Granted: ActiveMembership (the contact is an Active member of the group), DirectAssignment (the member is assigned to contactId, an Active member of the group), Hierarchy (the member is `depth` levels above viaMemberId, who is assigned to contactId). Denied: NotAMember, MembershipNotActive, NoAccessibleContact, EntityNotLinked, SubjectInactive.',
    }),
    message: z.string().meta({ description: 'The reason in the reply language (Content-Language).' }),
    contactId: id.optional(),
    contactGroupId: id.optional(),
    memberId: id.optional(),
    viaMemberId: id.optional(),
    depth: z.number().int().min(1).max(9).optional().meta({ description: 'Levels from the subject down to viaMemberId (1 = a direct report).' }),
  })
  .meta({
    id: 'AccessReason',
    example: { code: 'Hierarchy', message: 'Member 2 is 1 level(s) above member 4, who is assigned to contact 2, an active member of contact group 1.', memberId: 2, viaMemberId: 4, depth: 1, contactId: 2, contactGroupId: 1 },
  });

export const accessResponse = z
  .object({ hasAccess: z.boolean(), reason: accessReason.optional().meta({ description: 'Only with explain=true.' }) })
  .meta({ id: 'AccessResult', example: { hasAccess: true } });

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
  .object({ checks: list(accessCheck), explain: z.boolean().optional().meta({ description: 'true: every result carries `reason`.' }) })
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

// ---- lookups (SPEC 5.6): what a subject can reach, cursor-paged by id

export const LOOKUP_DEFAULT_PAGE_SIZE = 100;
export const LOOKUP_MAX_PAGE_SIZE = 500;

export const lookupQuery = z.object({
  pageSize: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be an integer from 1 to 500')
    .transform(Number)
    .pipe(z.number().int().min(1).max(LOOKUP_MAX_PAGE_SIZE))
    .optional()
    .meta({ type: 'integer', minimum: 1, maximum: LOOKUP_MAX_PAGE_SIZE, default: LOOKUP_DEFAULT_PAGE_SIZE, description: 'Items per page (1–500, default 100).', example: 100 } as Record<string, unknown>),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .meta({ description: 'nextCursor of the previous page, as given (opaque; bound to the caller, the subject and the path).', example: 'eyJwayI6IlJFQUNII.o3kLhQ' }),
});

export const identityLookupPath = z.object({ identityId: uuid });
export const identityEntityLookupPath = z.object({ identityId: uuid, entityType });
export const contactEntityLookupPath = z.object({ contactId: pathId, entityType });

const nextCursor = z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' });

export const accessibleContacts = z
  .object({
    items: z.array(
      z
        .object({
          contactId: id,
          contactUid: z.uuid().nullable(),
          accessType: z.enum(['Direct', 'Hierarchy']),
          viaMemberId: id.nullable().meta({ description: 'For Hierarchy: the nearest directly assigned member below the subject (ties: smallest id); null for Direct.' }),
        })
        .meta({ id: 'AccessibleContact' }),
    ),
    nextCursor,
  })
  .meta({
    id: 'AccessibleContactsPage',
    example: { items: [{ contactId: 2, contactUid: 'c0a7c7e0-0000-4000-8000-000000000002', accessType: 'Hierarchy', viaMemberId: 4 }], nextCursor: null },
  });

export const accessibleGroups = z
  .object({ items: z.array(z.object({ contactGroupId: id, groupName: z.string().nullable() }).meta({ id: 'AccessibleContactGroup' })), nextCursor })
  .meta({ id: 'AccessibleContactGroupsPage', example: { items: [{ contactGroupId: 1, groupName: 'Muster household' }], nextCursor: null } });

export const accessibleEntities = z
  .object({ items: z.array(z.object({ entityType, entityId: id, contactGroupId: id }).meta({ id: 'AccessibleEntity' })), nextCursor })
  .meta({ id: 'AccessibleEntitiesPage', example: { items: [{ entityType: 'Account', entityId: 1001, contactGroupId: 1 }], nextCursor: null } });
