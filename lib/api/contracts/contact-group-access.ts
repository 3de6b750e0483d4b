// ContactGroupAccess endpoints (SPEC 5.2) and the batch check, served by the `contact-group-access` function.
import { endpoint } from '../contract.js';
import {
  accessibleContacts,
  accessibleEntities,
  accessibleGroups,
  contactEntityLookupPath,
  identityEntityLookupPath,
  identityLookupPath,
  lookupQuery,
  accessBatchBody,
  accessBatchResponse,
  accessResponse,
  contactEntityPath,
  explainQuery,
  groupContactPath,
  groupIdentityPath,
  identityEntityPath,
} from '../../schemas/contact-group-access.js';

const tag = 'ContactGroupAccess';
const fn = 'contact-group-access';
/** SPEC 3 subject rules, shared by every check. */
const who =
  ' With explain=true the answer names the path that decides it (reason, localized). Applications and admins may ask about any subject (with data segregation: subjects of their participant); a member only about its own identity; a contact only about itself (else 403 SubjectNotAllowed). Strongly consistent: a revocation is denied on the very next check.';

export const contactEntityAccess = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contact-groups/contacts/{contactId}/{entityType}/{entityId}/access', operationId: 'contactEntityAccess',
  summary: 'Validate whether a contact has access to a contact group related entity',
  description: `True when the entity is linked to a group the contact is an active member of. Unknown contact → 404; an entity without link → false.${who}`,
  scope: 'crs.read', params: contactEntityPath, query: explainQuery, success: { status: 200, description: 'OK', schema: accessResponse },
});

export const identityEntityAccess = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contact-groups/identities/{identityId}/{entityType}/{entityId}/access', operationId: 'identityEntityAccess',
  summary: 'Validate whether a member has access to a contact group related entity',
  description: `True when the entity is linked to a group holding at least one active contact the member can access (direct or hierarchy). An inactive member has no access. Unknown identity → 404; an entity without link → false.${who}`,
  scope: 'crs.read', params: identityEntityPath, query: explainQuery, success: { status: 200, description: 'OK', schema: accessResponse },
});

export const contactGroupAccess = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contact-groups/{contactGroupId}/contacts/{contactId}/access', operationId: 'contactGroupAccess',
  summary: 'Validate whether a contact has access to a contact group',
  description: `True when the contact is an active member of the group. Unknown contact or group → 404.${who}`,
  scope: 'crs.read', params: groupContactPath, query: explainQuery, success: { status: 200, description: 'OK', schema: accessResponse },
});

export const identityGroupAccess = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contact-groups/{contactGroupId}/identities/{identityId}/access', operationId: 'identityGroupAccess',
  summary: 'Validate whether a member has access to a contact group',
  description: `True when the group holds at least one active contact the member can access (direct or hierarchy). An inactive member has no access. Unknown identity or group → 404.${who}`,
  scope: 'crs.read', params: groupIdentityPath, query: explainQuery, success: { status: 200, description: 'OK', schema: accessResponse },
});

export const batchAccess = endpoint({
  fn, tag, method: 'POST', path: '/v1.0/contact-groups/access/batch', operationId: 'batchAccess',
  summary: 'Answer up to 100 access checks at once',
  description: 'Results in request order. An unknown subject, group or entity answers hasAccess false (no 404 inside a batch); a subject the caller may not ask about refuses the whole batch (403). The same payload is accepted by direct Lambda invocation.',
  scope: 'crs.read', body: accessBatchBody, success: { status: 200, description: 'OK', schema: accessBatchResponse },
});


// ---- lookups (SPEC 5.6)

const lookupTag = 'AccessLookups';
const lookupRules =
  ' Cursor-paged by id ascending (pageSize 1–500, default 100; `nextCursor` until null). Every item is one the subject can reach at the moment of the read (a revocation disappears at once; a new access shows within seconds) and one the caller may read. Who may ask about which subject: as for the checks (403 SubjectNotAllowed). Unknown subject → 404; an inactive subject reaches nothing (an empty page). A cursor used for another caller, subject or path, or altered → 400 InvalidCursor. A page may hold fewer items than pageSize while nextCursor is not null.';

export const identityAccessibleContacts = endpoint({
  fn, tag: lookupTag, method: 'GET', path: '/v1.0/identities/{identityId}/accessible/contacts', operationId: 'identityAccessibleContacts',
  summary: 'List the contacts a member can access',
  description: `Every contact the member is directly assigned to, or that a member below it is assigned to (Hierarchy, via the nearest assigned member).${lookupRules}`,
  scope: 'crs.read', params: identityLookupPath, query: lookupQuery, success: { status: 200, description: 'OK', schema: accessibleContacts },
});

export const identityAccessibleGroups = endpoint({
  fn, tag: lookupTag, method: 'GET', path: '/v1.0/identities/{identityId}/accessible/contact-groups', operationId: 'identityAccessibleContactGroups',
  summary: 'List the contact groups a member can access',
  description: `Every group holding at least one Active contact the member can access (direct or hierarchy).${lookupRules}`,
  scope: 'crs.read', params: identityLookupPath, query: lookupQuery, success: { status: 200, description: 'OK', schema: accessibleGroups },
});

export const identityAccessibleEntities = endpoint({
  fn, tag: lookupTag, method: 'GET', path: '/v1.0/identities/{identityId}/accessible/{entityType}', operationId: 'identityAccessibleEntities',
  summary: 'List the entities of a type a member can access',
  description: `Every entity of the type linked to a group holding at least one Active contact the member can access.${lookupRules}`,
  scope: 'crs.read', params: identityEntityLookupPath, query: lookupQuery, success: { status: 200, description: 'OK', schema: accessibleEntities },
});

export const contactAccessibleEntities = endpoint({
  fn, tag: lookupTag, method: 'GET', path: '/v1.0/contacts/{contactId}/accessible/{entityType}', operationId: 'contactAccessibleEntities',
  summary: 'List the entities of a type a contact can access',
  description: `Every entity of the type linked to a group the contact is an Active member of.${lookupRules}`,
  scope: 'crs.read', params: contactEntityLookupPath, query: lookupQuery, success: { status: 200, description: 'OK', schema: accessibleEntities },
});

export const lookupEndpoints = [identityAccessibleContacts, identityAccessibleGroups, identityAccessibleEntities, contactAccessibleEntities] as const;

export const contactGroupAccessEndpoints = [contactEntityAccess, identityEntityAccess, contactGroupAccess, identityGroupAccess, batchAccess, ...lookupEndpoints] as const;
