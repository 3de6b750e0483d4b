// Catalogues of SPEC 4: group relationship types, membership system statuses, relative types with reciprocals, entity types.

export interface CatalogueEntry<S extends string = string> {
  readonly id: number;
  readonly systemName: S;
}

export const GROUP_RELATIONSHIP_TYPES = [
  { id: 1, systemName: 'PrimaryGroupMember' },
  { id: 2, systemName: 'GroupMember' },
  { id: 3, systemName: 'FamilyDependant' },
  { id: 4, systemName: 'FamilyPet' },
  { id: 5, systemName: 'FamilyContact' },
  { id: 6, systemName: 'FriendContact' },
] as const satisfies readonly CatalogueEntry[];
export type GroupRelationshipType = (typeof GROUP_RELATIONSHIP_TYPES)[number]['systemName'];
export const GROUP_RELATIONSHIP_TYPE_NAMES = GROUP_RELATIONSHIP_TYPES.map((t) => t.systemName) as [
  GroupRelationshipType,
  ...GroupRelationshipType[],
];
export const DEFAULT_GROUP_RELATIONSHIP_TYPE: GroupRelationshipType = 'GroupMember';
export const PRIMARY_GROUP_MEMBER: GroupRelationshipType = 'PrimaryGroupMember';

export const SYSTEM_STATUSES = [
  { id: 1, systemName: 'Active' },
  { id: 2, systemName: 'Inactive' },
  { id: 3, systemName: 'Archived' },
  { id: 4, systemName: 'LeadPendingProcessing' },
  { id: 5, systemName: 'Deleted' },
] as const satisfies readonly CatalogueEntry[];
export type SystemStatus = (typeof SYSTEM_STATUSES)[number]['systemName'];
export const SYSTEM_STATUS_NAMES = SYSTEM_STATUSES.map((t) => t.systemName) as [SystemStatus, ...SystemStatus[]];
export const ACTIVE: SystemStatus = 'Active';

export const RELATIVE_RELATIONSHIP_TYPES = [
  { id: 1, systemName: 'Spouse', reciprocal: 'Spouse' },
  { id: 2, systemName: 'Partner', reciprocal: 'Partner' },
  { id: 3, systemName: 'Parent', reciprocal: 'Child' },
  { id: 4, systemName: 'Child', reciprocal: 'Parent' },
  { id: 5, systemName: 'Sibling', reciprocal: 'Sibling' },
  { id: 6, systemName: 'Grandparent', reciprocal: 'Grandchild' },
  { id: 7, systemName: 'Grandchild', reciprocal: 'Grandparent' },
  { id: 8, systemName: 'Guardian', reciprocal: 'Ward' },
  { id: 9, systemName: 'Ward', reciprocal: 'Guardian' },
  { id: 10, systemName: 'PowerOfAttorney', reciprocal: 'Grantor' },
  { id: 11, systemName: 'Grantor', reciprocal: 'PowerOfAttorney' },
  { id: 12, systemName: 'Other', reciprocal: 'Other' },
] as const;
export type RelativeRelationshipType = (typeof RELATIVE_RELATIONSHIP_TYPES)[number]['systemName'];
export const RELATIVE_RELATIONSHIP_TYPE_NAMES = RELATIVE_RELATIONSHIP_TYPES.map((t) => t.systemName) as [
  RelativeRelationshipType,
  ...RelativeRelationshipType[],
];

export const ENTITY_TYPES = ['Account', 'LegalEntity', 'Portfolio', 'PortfolioProposal'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export function reciprocalOf(type: RelativeRelationshipType): RelativeRelationshipType {
  const entry = RELATIVE_RELATIONSHIP_TYPES.find((t) => t.systemName === type);
  if (!entry) throw new Error(`unknown relative type ${type}`);
  return entry.reciprocal;
}

function lookup<E extends CatalogueEntry>(entries: readonly E[], systemName: string): E | undefined {
  return entries.find((e) => e.systemName === systemName);
}

export const findGroupRelationshipType = (name: string) => lookup(GROUP_RELATIONSHIP_TYPES, name);
export const findGroupRelationshipTypeById = (id: number) => GROUP_RELATIONSHIP_TYPES.find((t) => t.id === id);
export const findSystemStatus = (name: string) => lookup(SYSTEM_STATUSES, name);
export const findRelativeRelationshipType = (name: string) => lookup(RELATIVE_RELATIONSHIP_TYPES, name);
