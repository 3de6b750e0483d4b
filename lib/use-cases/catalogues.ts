// Localized catalogue views (relationship types, statuses) used by several endpoints.
import {
  GROUP_RELATIONSHIP_TYPES,
  RELATIVE_RELATIONSHIP_TYPES,
  findGroupRelationshipType,
  findRelativeRelationshipType,
  findSystemStatus,
} from '../domain/catalogues.js';
import { t } from '../i18n/messages.js';
import type { Language } from '../i18n/languages.js';

export interface CatalogueView {
  id: number;
  name: string;
  systemName: string;
}

export const groupRelationshipTypeView = (systemName: string, lang: Language): CatalogueView => {
  const entry = findGroupRelationshipType(systemName);
  return { id: entry?.id ?? 0, name: t(lang, `groupRelationshipType.${systemName}`), systemName };
};

export const systemStatusView = (systemName: string, lang: Language): CatalogueView => {
  const entry = findSystemStatus(systemName);
  return { id: entry?.id ?? 0, name: t(lang, `systemStatus.${systemName}`), systemName };
};

export const relativeTypeView = (systemName: string, lang: Language): CatalogueView => {
  const entry = findRelativeRelationshipType(systemName);
  return { id: entry?.id ?? 0, name: t(lang, `relativeType.${systemName}`), systemName };
};

export function relationshipTypes(lang: Language) {
  return {
    groupRelationshipTypes: GROUP_RELATIONSHIP_TYPES.map((e) => groupRelationshipTypeView(e.systemName, lang)),
    relativeRelationshipTypes: RELATIVE_RELATIONSHIP_TYPES.map((e) => ({ ...relativeTypeView(e.systemName, lang), reciprocal: e.reciprocal })),
  };
}
