// Catalogue payloads (localized names) shared by several endpoints.
import * as z from 'zod';

export const catalogueItem = z
  .object({ id: z.number().int(), name: z.string(), systemName: z.string() })
  .meta({ id: 'CatalogueItem', example: { id: 2, name: 'Group member', systemName: 'GroupMember' } });

export const relativeTypeItem = catalogueItem
  .extend({ reciprocal: z.string().meta({ description: 'systemName of the type seen from the other contact.' }) })
  .meta({ id: 'RelativeRelationshipTypeItem' });

export const relationshipTypesResponse = z
  .object({ groupRelationshipTypes: z.array(catalogueItem), relativeRelationshipTypes: z.array(relativeTypeItem) })
  .meta({
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
  });
