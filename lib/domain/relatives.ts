// Relative link rules (SPEC 5.4) that need no stored data.
import { RELATIVE_RELATIONSHIP_TYPE_NAMES, findRelativeRelationshipType, type RelativeRelationshipType } from './catalogues.js';
import { RuleViolationError } from './errors.js';

/** The pair rules that need no data: no self link, a known type (422 with the allowed values). */
export function checkRelativeLink(contactId: number, relativeContactId: number, relationshipType?: string): RelativeRelationshipType | undefined {
  if (contactId === relativeContactId) throw new RuleViolationError('SelfRelative', { contactId });
  if (relationshipType === undefined) return undefined;
  const entry = findRelativeRelationshipType(relationshipType);
  if (!entry) throw new RuleViolationError('UnknownRelationshipType', { values: [relationshipType], allowed: RELATIVE_RELATIONSHIP_TYPE_NAMES });
  return entry.systemName;
}
