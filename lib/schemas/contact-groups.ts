// Payloads of ContactGroupManagement (SPEC 5.3).
import * as z from './zod.js';
import { GROUP_RELATIONSHIP_TYPE_NAMES, SYSTEM_STATUS_NAMES } from '../domain/catalogues.js';
import { INT32_MAX, MAX_CUSTOM_ATTRIBUTES_LENGTH, MAX_NAME_LENGTH, id, list, pathId } from './common.js';
import { catalogueItem } from './catalogues.js';

export const groupPath = z.object({ contactGroupId: pathId });
export const contactPath = z.object({ contactId: pathId });

const int = () => z.number().check(z.int());
const nullableText = (max: number) => z.nullish(z.string().check(z.maxLength(max)));
const groupName = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_NAME_LENGTH));

/** Write item of a membership. Catalogue values are checked by the rules (unknown → 422 with the allowed values). */
export const groupContactWrite = z.withMeta(
  z.object({
    contactId: id,
    relationshipType: z.withMeta(z.nullish(z.string().check(z.maxLength(100))), {
      description: `systemName, one of ${GROUP_RELATIONSHIP_TYPE_NAMES.join(', ')} (default GroupMember)`,
    }),
    order: z.nullish(z.number().check(z.int(), z.gte(-INT32_MAX), z.lte(INT32_MAX))),
    systemStatus: z.withMeta(z.nullish(z.string().check(z.maxLength(100))), {
      description: `systemName, one of ${SYSTEM_STATUS_NAMES.join(', ')} (default Active)`,
    }),
  }),
  { id: 'GroupContactWrite' },
);
export type GroupContactWrite = z.output<typeof groupContactWrite>;

export const createGroupBody = z.withMeta(
  z.object({
    groupName: groupName(),
    groupExternalId: nullableText(MAX_NAME_LENGTH),
    customAttributes: nullableText(MAX_CUSTOM_ATTRIBUTES_LENGTH),
    contacts: z.nullish(list(groupContactWrite)),
  }),
  {
    id: 'CreateContactGroup',
    example: {
      groupName: 'Muster household',
      groupExternalId: 'HH-1001',
      customAttributes: '{"segment":"private"}',
      contacts: [{ contactId: 12, relationshipType: 'PrimaryGroupMember' }, { contactId: 13, relationshipType: 'FamilyDependant' }],
    },
  },
);

/** Every field nullable: null (or absent) leaves it unchanged; `contacts` replaces the whole membership set. */
export const modifyGroupBody = z.withMeta(
  z.object({
    groupName: z.nullish(groupName()),
    groupExternalId: nullableText(MAX_NAME_LENGTH),
    customAttributes: nullableText(MAX_CUSTOM_ATTRIBUTES_LENGTH),
    contacts: z.nullish(list(groupContactWrite)),
  }),
  { id: 'ModifyContactGroup', example: { groupName: 'Muster family', contacts: [{ contactId: 12 }, { contactId: 14, order: 2 }] } },
);

export const createdResponse = z.withMeta(z.object({ id: int() }), { id: 'Created', example: { id: 42 } });

export const groupContactRead = z.withMeta(
  z.object({
    contactId: int(),
    contactUid: z.nullable(z.string()),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    relationshipType: catalogueItem,
    systemStatus: catalogueItem,
    order: int(),
  }),
  { id: 'GroupContact' },
);

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

export const groupBody = z.withMeta(
  z.object({
    groupId: int(),
    groupName: z.nullable(z.string()),
    groupExternalId: z.nullable(z.string()),
    customAttributes: z.nullable(z.string()),
    contacts: z.withMeta(z.array(groupContactRead), { description: 'Ordered by order (1..n).' }),
  }),
  { id: 'ContactGroup', example: exampleGroup },
);

export const groupsResponse = z.withMeta(z.object({ groups: z.array(groupBody) }), { id: 'ContactGroups', example: { groups: [exampleGroup] } });

export const ifMatchHeaders = z.object({
  'if-match': z.withMeta(z.optional(z.string().check(z.maxLength(100))), { description: 'The ETag of a GET: the write applies only to that version (else 412).' }),
});
export const idempotencyHeaders = z.object({
  'idempotency-key': z.withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(255))), {
    description: 'A retry with the same key and body returns the first response and creates nothing.',
  }),
});

export const searchBody = z.withMeta(
  z.object({
    contactIds: z.nullish(list(id)),
    contactGroupIds: z.nullish(list(id)),
    name: z.nullish(groupName()),
    externalIds: z.nullish(list(z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH)))),
    page: z.nullish(z.number().check(z.int(), z.gte(1), z.lte(1_000_000))),
    pageSize: z.nullish(z.number().check(z.int(), z.gte(1), z.lte(100))),
  }),
  { id: 'ContactGroupSearch', example: { name: 'mus', page: 1, pageSize: 20 } },
);

export const searchResponse = z.withMeta(
  z.object({ results: z.array(groupBody), page: int(), pageSize: int(), totalCount: int() }),
  { id: 'ContactGroupSearchResult', example: { results: [exampleGroup], page: 1, pageSize: 20, totalCount: 1 } },
);
