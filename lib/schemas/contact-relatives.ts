// Payloads of ContactRelativeManagement (SPEC 5.4).
import * as z from './zod.js';
import { RELATIVE_RELATIONSHIP_TYPE_NAMES } from '../domain/catalogues.js';
import { pathId } from './common.js';
import { catalogueItem } from './catalogues.js';

export const contactPath = z.object({ contactId: pathId });
export const relativePath = z.object({ contactId: pathId, relativeContactId: pathId });

export const putRelativeBody = z.withMeta(
  z.object({
    relationshipType: z.withMeta(z.string().check(z.minLength(1), z.maxLength(100)), {
      description: `systemName, one of ${RELATIVE_RELATIONSHIP_TYPE_NAMES.join(', ')}`,
    }),
  }),
  { id: 'PutRelative', example: { relationshipType: 'Parent' } },
);

export const relative = z.withMeta(
  z.object({
    contactId: z.number().check(z.int()),
    contactUid: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    relationshipType: catalogueItem,
  }),
  { id: 'Relative' },
);

export const relativesResponse = z.withMeta(z.array(relative), {
  id: 'Relatives',
  example: [
    {
      contactId: 1,
      contactUid: 'c0a7c7e0-0000-4000-8000-000000000001',
      firstName: 'Lea',
      lastName: 'Muster',
      relationshipType: { id: 1, name: 'Spouse', systemName: 'Spouse' },
    },
    {
      contactId: 4,
      contactUid: 'c0a7c7e0-0000-4000-8000-000000000004',
      firstName: 'Elias',
      lastName: 'Huber',
      relationshipType: { id: 4, name: 'Child', systemName: 'Child' },
    },
  ],
});
