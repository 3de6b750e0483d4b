// Every endpoint of the service, by function group: the source of the route tables, the API Gateway routes and OpenAPI.
import type { Endpoint, FunctionGroup } from '../contract.js';
import { contactAccessEndpoints } from './contact-access.js';
import { contactGroupAccessEndpoints } from './contact-group-access.js';
import { contactGroupsEndpoints } from './contact-groups.js';
import { contactRelativesEndpoints } from './contact-relatives.js';
import { docsEndpoints } from './docs.js';

export const ENDPOINTS_BY_FUNCTION: Record<FunctionGroup, readonly Endpoint[]> = {
  'contact-access': contactAccessEndpoints,
  'contact-group-access': contactGroupAccessEndpoints,
  'contact-groups': contactGroupsEndpoints,
  'contact-relatives': contactRelativesEndpoints,
  docs: docsEndpoints,
};

export const ALL_ENDPOINTS: readonly Endpoint[] = Object.values(ENDPOINTS_BY_FUNCTION).flat();

/** The OpenAPI tags, in the order the reference shows them. */
export const TAGS: readonly { readonly name: string; readonly description: string }[] = [
  { name: 'ContactAccessManagement', description: 'Participants associated with a contact, the members (advisors) assigned to it, and who can reach which contact (SPEC 5.1).' },
  { name: 'ContactGroupAccess', description: 'Access checks: may a contact or a member reach a contact group or an entity linked to one (SPEC 5.2)? Also as a batch, and by direct Lambda invocation.' },
  { name: 'AccessLookups', description: 'What a subject can reach (SPEC 5.6): the contacts, contact groups and entities a member can access and the entities a contact can access, cursor-paged by id, each item verified at the moment of the read.' },
  { name: 'ContactGroupManagement', description: 'Contact groups (households, joint holders): create with Idempotency-Key, read with ETag, modify and delete with If-Match, search (SPEC 5.3).' },
  { name: 'Dezrez', description: "Dezrez Rezi's add-group-member endpoint: PascalCase bodies, and every error in the Dezrez error body (SPEC 5.3)." },
  { name: 'ContactRelativeManagement', description: 'Relatives of a contact, kept reciprocal (Parent ↔ Child), and the relationship-type catalogues (SPEC 5.4).' },
  { name: 'Documentation', description: 'This document and its rendered reference page: public, no token (SPEC 5.5).' },
];
