// Payloads of ContactGroupAccess (SPEC 5.2) and the batch check (ours).
import * as z from './zod.js';
import { ENTITY_TYPES } from '../domain/catalogues.js';
import { id, list, pathId, uuid } from './common.js';

export const entityType = z.withMeta(z.enum(ENTITY_TYPES), { id: 'EntityType' });

export const contactEntityPath = z.object({ contactId: pathId, entityType, entityId: pathId });
export const identityEntityPath = z.object({ identityId: uuid, entityType, entityId: pathId });
export const groupContactPath = z.object({ contactGroupId: pathId, contactId: pathId });
export const groupIdentityPath = z.object({ contactGroupId: pathId, identityId: uuid });

/** `explain=true` (SPEC 5.2): the answer carries the path that decides it. */
export const explainQuery = z.object({
  explain: z.withMeta(
    z.pipe(z.optional(z.enum(['true', 'false'])), z.transform((v) => v === 'true')),
    { description: 'true: the answer carries `reason`, the path that decides it (no extra cost when granted).', example: 'true' },
  ),
});

export const REASON_CODES = [
  'ActiveMembership', 'DirectAssignment', 'Hierarchy', 'NotAMember', 'MembershipNotActive', 'NoAccessibleContact', 'EntityNotLinked', 'SubjectInactive',
] as const;

export const accessReason = z.withMeta(
  z.object({
    code: z.withMeta(z.enum(REASON_CODES), {
      description:
        'Granted: ActiveMembership (the contact is an Active member of the group), DirectAssignment (the member is assigned to contactId, an Active member of the group), Hierarchy (the member is `depth` levels above viaMemberId, who is assigned to contactId). Denied: NotAMember, MembershipNotActive, NoAccessibleContact, EntityNotLinked, SubjectInactive.',
    }),
    message: z.withMeta(z.string(), { description: 'The reason in the reply language (Content-Language).' }),
    contactId: z.optional(id),
    contactGroupId: z.optional(id),
    memberId: z.optional(id),
    viaMemberId: z.optional(id),
    depth: z.withMeta(z.optional(z.number().check(z.int(), z.gte(1), z.lte(9))), { description: 'Levels from the subject down to viaMemberId (1 = a direct report).' }),
  }),
  {
    id: 'AccessReason',
    example: { code: 'Hierarchy', message: 'Member 2 is 1 level(s) above member 4, who is assigned to contact 2, an active member of contact group 1.', memberId: 2, viaMemberId: 4, depth: 1, contactId: 2, contactGroupId: 1 },
  },
);

export const accessResponse = z.withMeta(
  z.object({ hasAccess: z.boolean(), reason: z.withMeta(z.optional(accessReason), { description: 'Only with explain=true.' }) }),
  { id: 'AccessResult', example: { hasAccess: true } },
);

export const accessCheck = z.withMeta(
  z
    .object({
      contactId: z.optional(id),
      identityId: z.optional(uuid),
      contactGroupId: z.optional(id),
      entityType: z.optional(entityType),
      entityId: z.optional(id),
    })
    .check(
      z.refine((c) => (c.contactId === undefined) !== (c.identityId === undefined), {
        message: 'exactly one of contactId and identityId is required',
        path: ['contactId'],
      }),
    )
    .check(
      z.refine((c) => (c.contactGroupId !== undefined) !== (c.entityType !== undefined || c.entityId !== undefined), {
        message: 'either contactGroupId or entityType with entityId is required',
        path: ['contactGroupId'],
      }),
    )
    .check(
      z.refine((c) => (c.entityType === undefined) === (c.entityId === undefined), {
        message: 'entityType and entityId go together',
        path: ['entityId'],
      }),
    ),
  { id: 'AccessCheck' },
);
export type AccessCheck = z.output<typeof accessCheck>;

export const accessBatchBody = z.withMeta(
  z.object({ checks: list(accessCheck), explain: z.withMeta(z.optional(z.boolean()), { description: 'true: every result carries `reason`.' }) }),
  {
    id: 'AccessBatch',
    example: {
      checks: [
        { contactId: 12, contactGroupId: 3 },
        { identityId: '00000000-0000-4000-8000-000000000007', entityType: 'Account', entityId: 1001 },
      ],
    },
  },
);

export const accessBatchResponse = z.withMeta(
  z.object({ results: z.withMeta(z.array(accessResponse), { description: 'One result per check, in request order.' }) }),
  { id: 'AccessBatchResult', example: { results: [{ hasAccess: true }, { hasAccess: false }] } },
);

// ---- lookups (SPEC 5.6): what a subject can reach, cursor-paged by id

export const LOOKUP_DEFAULT_PAGE_SIZE = 100;
export const LOOKUP_MAX_PAGE_SIZE = 500;

export const lookupQuery = z.object({
  pageSize: z.withMeta(
    z.optional(
      z.pipe(
        z.pipe(z.string().check(z.regex(/^[0-9]{1,3}$/, 'must be an integer from 1 to 500')), z.transform(Number)),
        z.number().check(z.int(), z.gte(1), z.lte(LOOKUP_MAX_PAGE_SIZE)),
      ),
    ),
    { type: 'integer', minimum: 1, maximum: LOOKUP_MAX_PAGE_SIZE, default: LOOKUP_DEFAULT_PAGE_SIZE, description: 'Items per page (1–500, default 100).', example: 100 },
  ),
  cursor: z.withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(2048))), {
    description: 'nextCursor of the previous page, as given (opaque; bound to the caller, the subject and the path).',
    example: 'eyJwayI6IlJFQUNII.o3kLhQ',
  }),
});

export const identityLookupPath = z.object({ identityId: uuid });
export const identityEntityLookupPath = z.object({ identityId: uuid, entityType });
export const contactEntityLookupPath = z.object({ contactId: pathId, entityType });

const nextCursor = z.withMeta(z.nullable(z.string()), { description: 'Pass as `cursor` for the next page; null on the last page.' });

export const accessibleContacts = z.withMeta(
  z.object({
    items: z.array(
      z.withMeta(
        z.object({
          contactId: id,
          contactUid: z.nullable(z.uuid()),
          accessType: z.enum(['Direct', 'Hierarchy']),
          viaMemberId: z.withMeta(z.nullable(id), { description: 'For Hierarchy: the nearest directly assigned member below the subject (ties: smallest id); null for Direct.' }),
        }),
        { id: 'AccessibleContact' },
      ),
    ),
    nextCursor,
  }),
  {
    id: 'AccessibleContactsPage',
    example: { items: [{ contactId: 2, contactUid: 'c0a7c7e0-0000-4000-8000-000000000002', accessType: 'Hierarchy', viaMemberId: 4 }], nextCursor: null },
  },
);

export const accessibleGroups = z.withMeta(
  z.object({ items: z.array(z.withMeta(z.object({ contactGroupId: id, groupName: z.nullable(z.string()) }), { id: 'AccessibleContactGroup' })), nextCursor }),
  { id: 'AccessibleContactGroupsPage', example: { items: [{ contactGroupId: 1, groupName: 'Muster household' }], nextCursor: null } },
);

export const accessibleEntities = z.withMeta(
  z.object({ items: z.array(z.withMeta(z.object({ entityType, entityId: id, contactGroupId: id }), { id: 'AccessibleEntity' })), nextCursor }),
  { id: 'AccessibleEntitiesPage', example: { items: [{ entityType: 'Account', entityId: 1001, contactGroupId: 1 }], nextCursor: null } },
);
