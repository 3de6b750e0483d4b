// ContactRelativeManagement endpoints (SPEC 5.4) and the catalogue of relationship types, served by `contact-relatives`.
import { endpoint } from '../contract.js';
import { relationshipTypesResponse } from '../../schemas/catalogues.js';
import { contactPath, putRelativeBody, relativePath, relativesResponse } from '../../schemas/contact-relatives.js';

const tag = 'ContactRelativeManagement';
const fn = 'contact-relatives';

export const listRelatives = endpoint({
  fn, tag, method: 'GET', path: '/v1.1/contacts/{contactId}/relatives', operationId: 'listRelatives',
  summary: 'Retrieve all relatives of a contact',
  description:
    'Ordered by relationship type (catalogue order), then last name and first name. Localized type names. Lists every relative, ' +
    'also those the caller cannot access (names only); relatives whose contact no longer exists are left out.',
  scope: 'crs.read', params: contactPath,
  success: { status: 200, description: 'OK', schema: relativesResponse },
});

export const putRelative = endpoint({
  fn, tag, method: 'PUT', path: '/v1.1/contacts/{contactId}/relatives/{relativeContactId}', operationId: 'putRelative',
  summary: 'Link (or re-type) a relative',
  description:
    'Writes the link and its reciprocal (Parent ↔ Child) in one transaction; re-typing an existing pair changes both sides. ' +
    'Both contacts must be accessible. Self link or unknown type → 422.',
  scope: 'crs.write', params: relativePath, body: putRelativeBody,
  success: { status: 204, description: 'No Content' },
});

export const deleteRelative = endpoint({
  fn, tag, method: 'DELETE', path: '/v1.1/contacts/{contactId}/relatives/{relativeContactId}', operationId: 'deleteRelative',
  summary: 'Unlink a relative (both directions)',
  description: 'Idempotent: removing an absent link is not an error. Both contacts must be accessible.',
  scope: 'crs.write', params: relativePath,
  success: { status: 204, description: 'No Content' },
});

export const listRelationshipTypes = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/relationship-types', operationId: 'listRelationshipTypes',
  summary: 'Relationship type catalogues (group and relative types), localized',
  description: 'The group relationship types (Dezrez) and the relative relationship types with their reciprocal, names in the reply language. Reads no data.',
  scope: 'crs.read',
  success: { status: 200, description: 'OK', schema: relationshipTypesResponse },
});

export const contactRelativesEndpoints = [listRelatives, putRelative, deleteRelative, listRelationshipTypes] as const;
