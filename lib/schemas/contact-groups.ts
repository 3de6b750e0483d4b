// Payloads of ContactGroupManagement (SPEC 5.3).
import * as z from 'zod';
import { GROUP_RELATIONSHIP_TYPE_NAMES, SYSTEM_STATUS_NAMES } from '../domain/catalogues.js';
import { INT32_MAX, MAX_CUSTOM_ATTRIBUTES_LENGTH, MAX_NAME_LENGTH, id, list, pathId } from './common.js';
import { catalogueItem } from './catalogues.js';

export const groupPath = z.object({ contactGroupId: pathId });
export const contactPath = z.object({ contactId: pathId });

const nullableText = (max: number) => z.string().max(max).nullish();

/** Write item of a membership. Catalogue values are checked by the rules (unknown → 422 with the allowed values). */
export const groupContactWrite = z
  .object({
    contactId: id,
    relationshipType: z
      .string()
      .max(100)
      .nullish()
      .meta({ description: `systemName, one of ${GROUP_RELATIONSHIP_TYPE_NAMES.join(', ')} (default GroupMember)` }),
    order: z.number().int().min(-INT32_MAX).max(INT32_MAX).nullish(),
    systemStatus: z
      .string()
      .max(100)
      .nullish()
      .meta({ description: `systemName, one of ${SYSTEM_STATUS_NAMES.join(', ')} (default Active)` }),
  })
  .meta({ id: 'GroupContactWrite' });
export type GroupContactWrite = z.output<typeof groupContactWrite>;

export const createGroupBody = z
  .object({
    groupName: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    groupExternalId: nullableText(MAX_NAME_LENGTH),
    customAttributes: nullableText(MAX_CUSTOM_ATTRIBUTES_LENGTH),
    contacts: list(groupContactWrite).nullish(),
  })
  .meta({
    id: 'CreateContactGroup',
    example: {
      groupName: 'Muster household',
      groupExternalId: 'HH-1001',
      customAttributes: '{"segment":"private"}',
      contacts: [{ contactId: 12, relationshipType: 'PrimaryGroupMember' }, { contactId: 13, relationshipType: 'FamilyDependant' }],
    },
  });

/** Every field nullable: null (or absent) leaves it unchanged; `contacts` replaces the whole membership set. */
export const modifyGroupBody = z
  .object({
    groupName: z.string().trim().min(1).max(MAX_NAME_LENGTH).nullish(),
    groupExternalId: nullableText(MAX_NAME_LENGTH),
    customAttributes: nullableText(MAX_CUSTOM_ATTRIBUTES_LENGTH),
    contacts: list(groupContactWrite).nullish(),
  })
  .meta({ id: 'ModifyContactGroup', example: { groupName: 'Muster family', contacts: [{ contactId: 12 }, { contactId: 14, order: 2 }] } });

export const createdResponse = z.object({ id: z.number().int() }).meta({ id: 'Created', example: { id: 42 } });

export const groupContactRead = z
  .object({
    contactId: z.number().int(),
    contactUid: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    relationshipType: catalogueItem,
    systemStatus: catalogueItem,
    order: z.number().int(),
  })
  .meta({ id: 'GroupContact' });

const exampleGroup = {
  groupId: 1,
  groupName: 'Muster household',
  groupExternalId: 'HH-MUSTER',
  customAttributes: null,
  contacts: [
    {
      contactId: 1,
      contactUid: 'c0a7c7e0-0000-4000-8000-000000000001',
      firstName: 'Lea',
      lastName: 'Muster',
      relationshipType: { id: 1, name: 'Primary group member', systemName: 'PrimaryGroupMember' },
      systemStatus: { id: 1, name: 'Active', systemName: 'Active' },
      order: 1,
    },
    {
      contactId: 2,
      contactUid: 'c0a7c7e0-0000-4000-8000-000000000002',
      firstName: 'Noah',
      lastName: 'Muster',
      relationshipType: { id: 2, name: 'Group member', systemName: 'GroupMember' },
      systemStatus: { id: 1, name: 'Active', systemName: 'Active' },
      order: 2,
    },
  ],
};

export const groupBody = z
  .object({
    groupId: z.number().int(),
    groupName: z.string().nullable(),
    groupExternalId: z.string().nullable(),
    customAttributes: z.string().nullable(),
    contacts: z.array(groupContactRead).meta({ description: 'Ordered by order (1..n).' }),
  })
  .meta({ id: 'ContactGroup', example: exampleGroup });

export const groupsResponse = z.object({ groups: z.array(groupBody) }).meta({ id: 'ContactGroups', example: { groups: [exampleGroup] } });

export const ifMatchHeaders = z.object({
  'if-match': z.string().max(100).optional().meta({ description: 'The ETag of a GET: the write applies only to that version (else 412).' }),
});
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'A retry with the same key and body returns the first response and creates nothing.' }),
});

export const searchBody = z
  .object({
    contactIds: list(id).nullish(),
    contactGroupIds: list(id).nullish(),
    name: z.string().trim().min(1).max(MAX_NAME_LENGTH).nullish(),
    externalIds: list(z.string().min(1).max(MAX_NAME_LENGTH)).nullish(),
    page: z.number().int().min(1).max(1_000_000).nullish(),
    pageSize: z.number().int().min(1).max(100).nullish(),
  })
  .meta({ id: 'ContactGroupSearch', example: { name: 'mus', page: 1, pageSize: 20 } });

export const searchResponse = z
  .object({ results: z.array(groupBody), page: z.number().int(), pageSize: z.number().int(), totalCount: z.number().int() })
  .meta({ id: 'ContactGroupSearchResult', example: { results: [exampleGroup], page: 1, pageSize: 20, totalCount: 1 } });
