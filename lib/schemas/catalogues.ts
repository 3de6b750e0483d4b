// Catalogue payloads (localized names) shared by several endpoints.
import * as z from './zod.js';

export const catalogueItem = z.withMeta(z.object({ id: z.number().check(z.int()), name: z.string(), systemName: z.string() }), {
  id: 'CatalogueItem',
  example: { id: 2, name: 'Group member', systemName: 'GroupMember' },
});

export const relativeTypeItem = z.withMeta(
  z.extend(catalogueItem, { reciprocal: z.withMeta(z.string(), { description: 'systemName of the type seen from the other contact.' }) }),
  { id: 'RelativeRelationshipTypeItem' },
);

export const relationshipTypesResponse = z.withMeta(
  z.object({ groupRelationshipTypes: z.array(catalogueItem), relativeRelationshipTypes: z.array(relativeTypeItem) }),
  {
    id: 'RelationshipTypes',
    example: {
      groupRelationshipTypes: [
        { id: 1, name: 'Primary group member', systemName: 'PrimaryGroupMember' },
        { id: 2, name: 'Group member', systemName: 'GroupMember' },
      ],
      relativeRelationshipTypes: [
        { id: 3, name: 'Parent', systemName: 'Parent', reciprocal: 'Child' },
        { id: 4, name: 'Child', systemName: 'Child', reciprocal: 'Parent' },
      ],
    },
  },
);
